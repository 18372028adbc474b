"""The metadata tables filled by a crawl of the replica equal the replica's ground truth, field by field.

Archives of every theme are compared (tests/conftest.py): the classic one the crawler was developed
against, and the others with markup nobody developed it against.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any
from urllib.parse import urljoin

import pytest

from archive.normalize.text import fold_key
from tests.conftest import THEME_ARCHIVES

pytestmark = pytest.mark.e2e

LEGAL_FIELDS = [
    "number",
    "doc_type",
    "issuer",
    "signer",
    "issued_on",
    "effective_on",
    "abstract",
    "number_year",
    "type_code",
    "issuer_code",
]
AWARD_FIELDS = [
    "decision_number",
    "decided_on",
    "award",
    "award_rank",
    "conferred_by",
    "collectives",
    "individuals",
]
RECIPIENT_FIELDS = ["name", "kind", "unit", "position", "award"]


@pytest.fixture(params=sorted(THEME_ARCHIVES))
def archive(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(THEME_ARCHIVES[request.param])


def nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def items_with(archive: Any, key: str) -> list[dict[str, Any]]:
    return [item for item in archive.ground_truth["items"] if item.get(key)]


def absolute(archive: Any, path: str) -> str:
    return urljoin(archive.base_url, path)


def test_ground_truth_has_metadata_to_compare(archive: Any) -> None:
    assert len(items_with(archive, "legal")) >= 20
    assert len(items_with(archive, "award")) >= 20
    assert len(items_with(archive, "movements")) >= 10


def test_every_legal_text_field_matches(archive: Any) -> None:
    mismatches = []
    for item in items_with(archive, "legal"):
        rows = archive.rows(
            "SELECT l.* FROM legal_documents l JOIN pages p ON p.id = l.page_id WHERE p.url = ?",
            absolute(archive, item["url"]),
        )
        if len(rows) != 1:
            mismatches.append((item["url"], "rows", len(rows)))
            continue
        for field in LEGAL_FIELDS:
            expected, actual = nfc(item["legal"][field]), rows[0][field]
            if expected != actual:
                mismatches.append((item["url"], field, expected, actual))
    assert mismatches == []


def test_no_legal_document_rows_for_pages_that_are_not_legal_texts(archive: Any) -> None:
    expected = {absolute(archive, i["url"]) for i in items_with(archive, "legal")}
    rows = archive.rows("SELECT p.url FROM legal_documents l JOIN pages p ON p.id = l.page_id")
    assert {r["url"] for r in rows} - expected == set()


def test_every_award_decision_field_matches(archive: Any) -> None:
    mismatches = []
    for item in items_with(archive, "award"):
        rows = archive.rows(
            "SELECT a.* FROM awards a JOIN pages p ON p.id = a.page_id WHERE p.url = ?",
            absolute(archive, item["url"]),
        )
        if len(rows) != 1:
            mismatches.append((item["url"], "rows", len(rows)))
            continue
        for field in AWARD_FIELDS:
            expected, actual = nfc(item["award"][field]), rows[0][field]
            if expected != actual:
                mismatches.append((item["url"], field, expected, actual))
    assert mismatches == []


def test_every_recipient_matches(archive: Any) -> None:
    mismatches = []
    for item in items_with(archive, "award"):
        rows = archive.rows(
            "SELECT r.* FROM award_recipients r JOIN pages p ON p.id = r.page_id WHERE p.url = ?",
            absolute(archive, item["url"]),
        )
        expected = Counter(tuple(nfc(r[f]) for f in RECIPIENT_FIELDS) for r in item["award"]["recipients"])
        actual = Counter(tuple(row[f] for f in RECIPIENT_FIELDS) for row in rows)
        if expected != actual:
            mismatches.append((item["url"], sorted(expected - actual), sorted(actual - expected)))
    assert mismatches == []


def test_recipient_sources_match(archive: Any) -> None:
    expected = Counter(
        r["source"] for item in items_with(archive, "award") for r in item["award"]["recipients"]
    )
    actual = Counter(r["source"] for r in archive.rows("SELECT source FROM award_recipients"))
    assert actual == expected


def test_recipient_keys_join_spellings_of_one_name(archive: Any) -> None:
    for row in archive.rows("SELECT name, name_key FROM award_recipients"):
        assert row["name_key"] == fold_key(row["name"])


def test_every_movement_name_matches(archive: Any) -> None:
    expected = Counter(
        (absolute(archive, item["url"]), nfc(m["name"]))
        for item in items_with(archive, "movements")
        for m in item["movements"]
    )
    rows = archive.rows("SELECT p.url, m.name FROM movements m JOIN pages p ON p.id = m.page_id")
    actual = Counter((r["url"], r["name"]) for r in rows)
    assert sorted(expected - actual) == [] and sorted(actual - expected) == []


def test_every_movement_launch_matches(archive: Any) -> None:
    mismatches = []
    for item in items_with(archive, "movements"):
        rows = archive.rows(
            "SELECT m.* FROM movements m JOIN pages p ON p.id = m.page_id WHERE p.url = ?",
            absolute(archive, item["url"]),
        )
        by_name = {r["name"]: r for r in rows}
        for movement in item["movements"]:
            row = by_name.get(nfc(movement["name"]))
            for field in ("launched_on", "launched_by", "period_start", "period_end"):
                actual = row[field] if row is not None else "(missing)"
                if nfc(movement[field]) != actual:
                    mismatches.append((item["url"], movement["name"], field, movement[field], actual))
    assert mismatches == []


def test_every_citation_matches(archive: Any) -> None:
    expected = {
        (absolute(archive, item["url"]), nfc(number))
        for item in archive.ground_truth["items"]
        for number in item.get("cites") or []
    }
    rows = archive.rows("SELECT p.url, c.cited_number FROM citations c JOIN pages p ON p.id = c.page_id")
    actual = {(r["url"], r["cited_number"]) for r in rows}
    assert sorted(expected - actual) == []
    assert sorted(actual - expected) == []


def test_files_have_searchable_text(archive: Any) -> None:
    rows = archive.rows(
        "SELECT url, text, text_error FROM attachments "
        "WHERE extension IN ('pdf', 'docx', 'xlsx') AND sha256 IS NOT NULL"
    )
    unread = [(r["url"], r["text_error"]) for r in rows if not r["text"]]
    assert rows and unread == []
