"""The replica served on loopback, walked by an independent client (urllib + lxml, not our crawler)."""

from __future__ import annotations

import io
import re
import unicodedata
import urllib.error
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import docx
import lxml.html
import pypdf
import pytest

from replica.content import MENU
from replica.render import THEMES, PressTheme
from replica.testing import ReplicaHandle, running_replica

DETAIL_SHAPE = re.compile(r"^/([a-z0-9-]+)/([a-z0-9-]+)-(\d+)\.html$")
US_STAMP = re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$")
MAX_LIST_PAGES = 40  # the endless "next page" must not trap the walker
SEED_MENU_LABELS = [label for label, _ in MENU] + [c.name for _, children in MENU for c in children]


@dataclass
class Walk:
    pages: dict[str, bytes] = field(default_factory=dict)  # path -> body of HTML pages
    page_types: dict[str, str] = field(default_factory=dict)  # path -> Content-Type of HTML pages
    files: dict[str, tuple[str, bytes, dict[str, str]]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    us_stamps: list[str] = field(default_factory=list)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"User-Agent": "test-walker"})
        ) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def decode(headers: dict[str, str], body: bytes) -> str:
    charset = headers.get("Content-Type", "").partition("charset=")[2] or "utf-8"
    return body.decode({"windows-1258": "cp1258"}.get(charset, charset))


def walk(replica: ReplicaHandle) -> Walk:
    """Breadth-first from /, same host only, robots-disallowed paths skipped, list pages capped."""
    base = replica.base_url
    host = urlsplit(base).netloc
    out = Walk()
    queue: deque[str] = deque(["/"])
    seen = {"/"}
    while queue:
        path = queue.popleft()
        status, headers, body = fetch(urljoin(base, path))
        out.statuses[path] = status
        if status != 200:
            continue
        ctype = headers.get("Content-Type", "")
        if not ctype.startswith("text/html"):
            out.files[unquote(path)] = (ctype, body, headers)
            continue
        out.pages[path] = body
        out.page_types[path] = ctype
        doc = lxml.html.fromstring(decode(headers, body))
        # The notices box's machine timestamps, wherever a theme puts them.
        out.us_stamps += [t.strip() for t in doc.xpath("//text()") if US_STAMP.match(t.strip())]
        for href in doc.xpath("//a/@href | //img/@src | //iframe/@src | //source/@src | //object/@data"):
            absolute = urljoin(base + path.lstrip("/"), href)
            parts = urlsplit(absolute)
            if parts.scheme != "http" or parts.netloc != host:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query and "utm_" not in parts.query else "")
            if target.startswith(("/admin", "/tim-kiem")) or target in seen:
                continue
            page = re.search(r"(?:page|trang|cur|[?&]p)=(\d+)|trang-(\d+)\.html|/page/(\d+)/", target)
            if page and int(page.group(1) or page.group(2) or page.group(3)) > MAX_LIST_PAGES:
                continue
            seen.add(target)
            queue.append(target)
    return out


@pytest.fixture(scope="module", params=THEMES)
def served(request: pytest.FixtureRequest) -> Any:
    with running_replica(theme=request.param) as replica:
        yield replica, walk(replica)


def test_walk_finds_detail_pages_of_the_real_url_shape(served: Any) -> None:
    _, w = served
    details = [p for p in w.pages if DETAIL_SHAPE.match(p)]
    assert len(details) >= 400
    assert len({DETAIL_SHAPE.match(p).group(1) for p in details}) >= 29  # type: ignore[union-attr]


def test_walk_reaches_every_category_and_every_ground_truth_item(served: Any) -> None:
    replica, w = served
    truth = replica.ground_truth
    categories = {item["category"] for item in truth["items"] if item["url"] in w.pages}
    assert len(categories) >= 30
    missing = [item["url"] for item in truth["items"] if item["url"] not in w.pages]
    assert missing == []


def test_every_menu_label_of_the_seed_is_on_the_home_page(served: Any) -> None:
    _, w = served
    text = lxml.html.fromstring(w.pages["/"].decode()).text_content()
    for label in SEED_MENU_LABELS:
        assert label in text, label
    assert text.count("Hoạt động Cụm thi đua Đồng bằng sông Hồng") >= 2  # header and mobile copies


def test_notices_box_shows_us_timestamps(served: Any) -> None:
    _, w = served
    assert len(w.us_stamps) >= 7
    assert all(US_STAMP.match(s) for s in w.us_stamps)


def test_at_least_60_valid_pdf_and_docx_files(served: Any) -> None:
    _, w = served
    valid = 0
    for ctype, body, _ in w.files.values():
        if ctype == "application/pdf":
            text = pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text()
            assert "VIỆT NAM" in text or "THÁI BÌNH" in text  # the national or the Party's motto
            valid += 1
        elif ctype.endswith("wordprocessingml.document"):
            assert docx.Document(io.BytesIO(body)).paragraphs
            valid += 1
    assert valid >= 60


def test_served_titles_and_file_hashes_match_the_ground_truth(served: Any) -> None:
    import hashlib

    replica, w = served
    for item in replica.ground_truth["items"]:
        doc = lxml.html.fromstring(decode({"Content-Type": w.page_types[item["url"]]}, w.pages[item["url"]]))
        # Every theme names the item in og:title or (portal) in <title> before the site's name; not every
        # theme has an <h1>.
        shown = doc.xpath("string(//meta[@property='og:title']/@content)") or doc.findtext(".//title")
        shown = unicodedata.normalize("NFC", shown).split(" | Ban Thi đua")[0].split(" - Ban TĐKT")[0].strip()
        assert shown == item["title"], item["url"]
        text = unicodedata.normalize("NFC", doc.text_content())
        for sentence in item["body_contains"]:
            assert sentence in text, (item["url"], sentence)
        if item["published_raw"]:
            # the portal and the press themes write the date in their own words, with the same day
            day = date.fromisoformat(item["published_at"][:10])
            own_words = replica.ground_truth["site"]["theme"] in ("portal", "press")
            in_words = PressTheme.wp_date(datetime(day.year, day.month, day.day))
            shown_day = (f"{day:%d/%m/%Y}", f"{day:%d-%m-%Y}", in_words) if own_words else ()
            assert any(x in text for x in (item["published_raw"], *shown_day)), item["url"]
        for att in item["attachments"]:
            ctype, data, _ = w.files[unquote(att["url"])]
            assert hashlib.sha256(data).hexdigest() == att["sha256"]
            assert len(data) == att["bytes"]
            assert ctype == att["content_type"]


def test_recipients_are_in_file_tables_annex_lists_page_tables_and_page_text(served: Any) -> None:
    replica, w = served
    by_source: Counter[str] = Counter()
    for item in replica.ground_truth["items"]:
        if not item["award"]:
            continue
        recipients = item["award"]["recipients"]
        if not recipients:  # the text counts them, the list is published nowhere
            by_source["withheld"] += 1
            assert item["award"]["collectives"] is item["award"]["individuals"] is None
            assert item["award"]["stated_collectives"] or item["award"]["stated_individuals"]
            continue
        source = recipients[0]["source"]
        by_source[source] += 1
        if source == "docx":
            att = next(a for a in item["attachments"] if a["url"].endswith(".docx"))
            document = docx.Document(io.BytesIO(w.files[unquote(att["url"])][1]))
            cells = {" ".join(c.text.split()) for t in document.tables for row in t.rows for c in row.cells}
            lines = " ".join(" ".join(p.text.split()) for p in document.paragraphs)
            # A table cell holds the name as shown; an annex line holds it after its honorific.
            assert all(any(r["name"] in cell for cell in cells) or r["name"] in lines for r in recipients)
        elif source == "pdf":
            att = next(a for a in item["attachments"] if a["url"].endswith(".pdf"))
            reader = pypdf.PdfReader(io.BytesIO(w.files[unquote(att["url"])][1]))
            text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
            assert unicodedata.is_normalized("NFC", text)
            for r in recipients:
                assert r["name"] in text or r["name"].split()[-1] in text, r["name"]  # a line may wrap
        elif source == "html":
            doc = lxml.html.fromstring(w.pages[item["url"]].decode("utf-8", "replace"))
            cells = {
                " ".join(unicodedata.normalize("NFC", td.text_content()).split()) for td in doc.xpath("//td")
            }
            assert all(any(r["name"] in cell for cell in cells) for r in recipients)
        else:  # listed in the page's own text: prose, inline lists, bullets
            doc = lxml.html.fromstring(
                decode({"Content-Type": w.page_types[item["url"]]}, w.pages[item["url"]])
            )
            text = " ".join(unicodedata.normalize("NFC", doc.text_content()).split())
            assert all(r["name"] in text for r in recipients)
    assert set(by_source) == {"docx", "pdf", "html", "text", "withheld"}
    assert min(by_source[s] for s in ("docx", "pdf", "html", "text")) >= 5
