"""The reading room's list of movements mentioned without any launch date, against the items that
name them: a movement is listed only when no item states a launch of it, with every item naming it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.datasette_plugins.room import pages
from archive.normalize.text import fold_key
from archive.store import ArchiveStore
from tests.test_publish import BASE, FIRST_CRAWL, Item, derived_for, page_item

TIMELINE_SQL = (
    Path(__file__).parent.parent / "archive/datasette_plugins/queries/movements_timeline.sql"
).read_text()


def _movement(name: str, launched_on: str | None = None, launched_by: str | None = None) -> dict[str, object]:
    return {
        "name": name,
        "launched_on": launched_on,
        "launched_by": launched_by,
        "period_start": None,
        "period_end": None,
    }


NEVER = "Phong trào thi đua “Dân vận khéo” ở cơ sở"  # named by three items, never launched
ONCE = "Phong trào “Cánh đồng mẫu lớn”"  # launched in one item, named without a date in another
RARE = "Phong trào “Gia đình hiếu học”"  # named once, never launched
ITEMS = [
    Item("mot", 101, "tin-tuc", "news", "Tin một", "2021-02-01", "", "Một.", movements=[_movement(NEVER)]),
    Item(
        "hai",
        102,
        "tin-tuc",
        "news",
        "Tin hai",
        "2021-03-01",
        "",
        "Hai.",
        movements=[_movement(NEVER), _movement(ONCE)],
    ),
    Item(
        "ba", 103, "tin-tuc", "news", "Tin ba", "2021-04-01", "", "Ba.", movements=[_movement(NEVER.upper())]
    ),
    Item(
        "bon",
        104,
        "tin-tuc",
        "news",
        "Tin bốn",
        "2021-05-01",
        "",
        "Bốn.",
        movements=[_movement(ONCE, "2021-05-01", "UBND tỉnh")],
    ),
    Item("nam", 105, "tin-tuc", "news", "Tin năm", "2021-06-01", "", "Năm.", movements=[_movement(RARE)]),
]


def _archive(db_path: Path) -> None:
    store = ArchiveStore(db_path)
    run = store.start_run(BASE, "full")
    for item in ITEMS:
        store.save_page(page_item(item, FIRST_CRAWL), run)
    for page_id in store.pages_to_derive():
        page, _files = store.load_for_derive(page_id)
        store.save_derived(page_id, derived_for(next(i for i in ITEMS if i.url == page["url"])))
    store.finish_run(run, "done")
    store.close()


def test_undated_movements_are_those_no_item_launches_with_every_item_naming_them(tmp_path: Path) -> None:
    db_path = tmp_path / "archive.sqlite"
    _archive(db_path)
    conn = sqlite3.connect(db_path)
    page_ids = dict(conn.execute("select url, id from pages"))
    data = pages.movements(conn, TIMELINE_SQL, "", 1)
    named: dict[str, set[str]] = {}
    dated: set[str] = set()
    for item in ITEMS:
        for m in item.movements:
            named.setdefault(fold_key(str(m["name"])), set()).add(item.url)
            if m["launched_on"]:
                dated.add(fold_key(str(m["name"])))
    expected = {
        key: (len(urls), min(page_ids[u] for u in urls)) for key, urls in named.items() if key not in dated
    }
    found = {u["name_key"]: (u["mentions"], u["page_id"]) for u in data["undated"]}
    assert found == expected
    assert [u["name_key"] for u in data["undated"]] == [fold_key(NEVER), fold_key(RARE)]  # most named first
    assert [(r["launched_on"], fold_key(r["name"])) for r in data["launches"]] == [
        ("2021-05-01", fold_key(ONCE))
    ]
