"""The replica's content model: categories, items and their ground truth, built deterministically.

Everything is drawn from `random.Random` instances seeded with strings derived from the site seed
(string seeds hash the same way on every run), never from the global generator or the clock. Each
item has its own stream, so a state-2 site or a bigger site keeps the state-1 items unchanged.
"""

from __future__ import annotations

import gc
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import accumulate
from typing import Any

from replica import vocab as V

STATE1_START = datetime(2014, 1, 2, 7, 0, 0)
STATE1_END = datetime(2025, 2, 21, 17, 0, 0)
STATE2_END = datetime(2025, 3, 20, 17, 0, 0)
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
PAGE_SIZE = 12
DEFAULT_ITEMS = 420
# The visible paragraph of the "script" quirk's body (its script writes nothing a parser sees).
SCRIPT_PARAGRAPH = "Bạn đọc có thể xem thêm tại đây."


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    parent: str | None
    kind: str
    weight: int = 0  # items out of 417 in the default site
    static: bool = False

    @property
    def list_url(self) -> str:
        return f"/{self.slug}.html" if self.static else f"/{self.slug}/"


def _leaf(slug: str, name: str, parent: str | None, kind: str, weight: int) -> Category:
    return Category(slug, name, parent, kind, weight)


# The menu in the seed's order: (top label, children). A top entry with no children is itself a leaf.
MENU: list[tuple[str, list[Category]]] = [
    ("Trang chủ", []),
    (
        "Giới thiệu",
        [
            Category("hoi-dong-tdkt-tinh", "Hội đồng TĐKT tỉnh", "Giới thiệu", "about", static=True),
            Category("ban-tdkt-so-noi-vu", "Ban TĐKT, Sở Nội vụ", "Giới thiệu", "about", static=True),
            Category(
                "cac-cum-khoi-thi-dua-thuoc-tinh",
                "Các cụm khối thi đua thuộc tỉnh",
                "Giới thiệu",
                "about",
                static=True,
            ),
        ],
    ),
    (
        "Tin tức",
        [
            _leaf("tin-tuc-su-kien", "Tin tức - Sự kiện", "Tin tức", "news", 50),
            _leaf("thong-bao", "Thông báo", "Tin tức", "notice", 34),
        ],
    ),
    (
        "Văn bản pháp quy về TĐKT",
        [
            _leaf(
                "van-ban-cua-trung-uong",
                "Văn bản của Trung ương",
                "Văn bản pháp quy về TĐKT",
                "legal_text",
                16,
            ),
            _leaf(
                "van-ban-cua-ubnd-tinh", "Văn bản của UBND tỉnh", "Văn bản pháp quy về TĐKT", "legal_text", 20
            ),
            _leaf(
                "van-ban-cua-hoi-dong-td-kt-tinh",
                "Văn bản của Hội đồng TĐ-KT tỉnh",
                "Văn bản pháp quy về TĐKT",
                "legal_text",
                14,
            ),
            _leaf(
                "van-ban-cua-ban-td-kt", "Văn bản của Ban TĐ-KT", "Văn bản pháp quy về TĐKT", "legal_text", 13
            ),
        ],
    ),
    (
        "Hoạt động TĐKT",
        [
            _leaf(
                "hoat-dong-hoi-dong-td-kt-tinh", "Hoạt động Hội đồng TĐ-KT tỉnh", "Hoạt động TĐKT", "news", 17
            ),
            _leaf(
                "hoat-dong-cum-thi-dua-dong-bang-song-hong",
                "Hoạt động Cụm thi đua Đồng bằng sông Hồng",
                "Hoạt động TĐKT",
                "news",
                10,
            ),
            _leaf(
                "hoat-dong-hoi-dong-td-kt-cac-cap",
                "Hoạt động Hội đồng TĐ-KT các cấp",
                "Hoạt động TĐKT",
                "news",
                14,
            ),
        ],
    ),
    (
        "Phong trào thi đua",
        [
            _leaf("trung-uong-phat-dong", "Trung ương phát động", "Phong trào thi đua", "movement", 12),
            _leaf("tinh-phat-dong", "Tỉnh phát động", "Phong trào thi đua", "movement", 16),
            _leaf(
                "thi-dua-cac-co-quan-don-vi-dia-phuong",
                "Thi đua các cơ quan, đơn vị, địa phương",
                "Phong trào thi đua",
                "movement",
                14,
            ),
        ],
    ),
    (
        "Gương điển hình tiên tiến",
        [_leaf("guong-dien-hinh-tien-tien", "Gương điển hình tiên tiến", None, "news", 14)],
    ),
    (
        "Tiêu chuẩn khen thưởng",
        [
            _leaf("danh-hieu-thi-dua", "Danh hiệu thi đua", "Tiêu chuẩn khen thưởng", "guidance", 6),
            _leaf("huan-chuong", "Huân chương", "Tiêu chuẩn khen thưởng", "guidance", 6),
            _leaf("huy-chuong", "Huy chương", "Tiêu chuẩn khen thưởng", "guidance", 4),
            _leaf(
                "ky-niem-chuong-huy-hieu", "Kỷ niệm chương, huy hiệu", "Tiêu chuẩn khen thưởng", "guidance", 4
            ),
            _leaf("bang-khen-giay-khen", "Bằng khen, giấy khen", "Tiêu chuẩn khen thưởng", "guidance", 5),
        ],
    ),
    (
        "Hướng dẫn thủ tục hồ sơ",
        [
            _leaf(
                "khen-thuong-cap-nha-nuoc",
                "Khen thưởng cấp Nhà nước",
                "Hướng dẫn thủ tục hồ sơ",
                "guidance",
                7,
            ),
            _leaf("khen-thuong-cap-tinh", "Khen thưởng cấp tỉnh", "Hướng dẫn thủ tục hồ sơ", "guidance", 7),
            _leaf("cac-thu-tuc-khac", "Các thủ tục khác", "Hướng dẫn thủ tục hồ sơ", "guidance", 4),
            _leaf("he-thong-bieu-mau", "Hệ thống biểu mẫu", "Hướng dẫn thủ tục hồ sơ", "guidance", 7),
        ],
    ),
    (
        "Kết quả khen thưởng",
        [
            _leaf(
                "quyet-dinh-cua-chu-tich-nuoc",
                "Quyết định của Chủ tịch nước",
                "Kết quả khen thưởng",
                "award_decision",
                14,
            ),
            _leaf(
                "quyet-dinh-cua-thu-tuong-chinh-phu",
                "Quyết định của Thủ tướng Chính phủ",
                "Kết quả khen thưởng",
                "award_decision",
                15,
            ),
            _leaf(
                "quyet-dinh-cua-chu-tich-ubnd-tinh",
                "Quyết định của Chủ tịch UBND tỉnh",
                "Kết quả khen thưởng",
                "award_decision",
                24,
            ),
            _leaf("ket-qua-khac", "Kết quả khác", "Kết quả khen thưởng", "award_decision", 10),
        ],
    ),
    ("Xin ý kiến nhân dân", [_leaf("xin-y-kien-nhan-dan", "Xin ý kiến nhân dân", None, "consultation", 18)]),
    ("Hỏi - Đáp", [_leaf("hoi-dap", "Hỏi - Đáp", None, "qa", 24)]),
    ("video", [_leaf("video", "video", None, "video", 18)]),
]
CATEGORIES: list[Category] = [c for _, children in MENU for c in children]
CATEGORY_BY_SLUG = {c.slug: c for c in CATEGORIES}
ENDLESS_PAGINATION = "hoi-dap"  # its "next page" link never ends
STATE2_NEW = {
    "tin-tuc-su-kien": 8,
    "thong-bao": 5,
    "van-ban-cua-ubnd-tinh": 3,
    "quyet-dinh-cua-chu-tich-ubnd-tinh": 3,
    "hoat-dong-hoi-dong-td-kt-tinh": 3,
    "tinh-phat-dong": 3,
    "hoi-dap": 3,
    "guong-dien-hinh-tien-tien": 2,
}


def _ascii_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1EFA):
        bare = "".join(
            ch for ch in unicodedata.normalize("NFD", chr(code)) if unicodedata.category(ch) != "Mn"
        )
        if bare != chr(code) and bare.isascii():
            table[code] = bare
    return table


_ASCII_FOLD = _ascii_fold_table()
_NOT_SLUG = re.compile(r"[^a-z0-9\s-]")


def slugify(text: str, limit: int = 110) -> str:
    """Title → URL slug the way the site does it: no diacritics, đ→d, lower case, hyphens."""
    bare = unicodedata.normalize("NFC", text).translate(_ASCII_FOLD).lower()
    bare = _NOT_SLUG.sub("", bare)
    slug = re.sub(r"-{3,}", "--", "-".join(bare.split())).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def vi_date(d: date | datetime, pad: bool = True) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if pad else f"{d.day}/{d.month}/{d.year}"


def us_timestamp(dt: datetime) -> str:
    """.NET en-US general format: 2/18/2025 2:03:59 PM."""
    hour = dt.hour % 12 or 12
    half = "AM" if dt.hour < 12 else "PM"
    return f"{dt.month}/{dt.day}/{dt.year} {hour}:{dt.minute:02d}:{dt.second:02d} {half}"


@dataclass
class Attachment:
    url: str  # path as linked (percent-encoded where the name has spaces)
    filename: str  # the name the server gives in Content-Disposition
    content_type: str
    label: str
    spec: tuple[Any, ...]  # what files.py builds the bytes from
    quirk: str | None = None


@dataclass
class Recipient:
    name: str  # as shown (case variants kept, spacing collapsed), without honorific
    shown: str  # exact text in the file/table (may carry double spaces and an honorific)
    canonical: str
    kind: str
    unit: str | None
    position: str | None
    award: str
    source: str
    honorific: str | None = None  # "Ông", "Trung tá": written before the name, kept apart


@dataclass
class BodyTable:
    """A table the article body shows: header rows (one, two over a split header, or none), then the
    data rows; some pages write the header in th cells, others in the first rows of td."""

    header: list[list[str]]
    rows: list[list[str]]
    css: str
    header_in_th: bool = True


@dataclass
class Item:
    index: int
    category: str
    when: datetime
    site_id: int | None = None
    kind: str = ""
    title: str = ""
    slug: str = ""
    date_form: str = "ngay"
    summary: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    body_contains: list[str] = field(default_factory=list)
    source: str | None = None
    images: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    legal: dict[str, Any] | None = None
    award: dict[str, Any] | None = None
    recipients: list[Recipient] = field(default_factory=list)
    movements: list[dict[str, Any]] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    quirks: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    modified: datetime | None = None

    @property
    def section(self) -> str:
        return CATEGORY_BY_SLUG[self.category].name

    @property
    def url(self) -> str:
        if self.site_id is None:
            return f"/{self.slug}.html"
        return f"/{self.category}/{self.slug}-{self.site_id}.html"

    @property
    def published_raw(self) -> str | None:
        d = self.when
        match self.date_form:
            case "ngay":
                return f"Ngày: {vi_date(d)}"
            case "capnhat":
                return f"Cập nhật: {vi_date(d, pad=False)} {d.hour:02d}:{d.minute:02d}"
            case "thu":
                return f"{WEEKDAYS[d.weekday()]}, {vi_date(d)}"
            case "ngaydang":
                return f"Ngày đăng: {vi_date(d)} {d.hour:02d}:{d.minute:02d}"
            case "dangngay":
                return f"Đăng ngày {d.day:02d}-{d.month:02d}-{d.year}"
        return None

    @property
    def published_at(self) -> str | None:
        d = self.when
        if self.date_form in ("capnhat", "ngaydang"):
            return f"{d:%Y-%m-%dT%H:%M}:00+07:00"
        if self.date_form == "none":
            return None
        return d.date().isoformat()

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.when

    def label_rows(self) -> list[tuple[str, str]]:
        """The labelled metadata block the page shows (legal texts and award decisions), in order.
        Some pages show none: their facts are in the text and the attached file only."""
        if not self.extra.get("labels", True):
            return []
        if self.legal is not None:
            lg = self.legal
            eff = lg["effective_on"]
            return [
                ("Số ký hiệu", lg["number"]),
                ("Loại văn bản", lg["doc_type"]),
                ("Cơ quan ban hành", lg["issuer"]),
                ("Người ký", lg["signer"]),
                ("Ngày ban hành", vi_date(datetime.fromisoformat(lg["issued_on"]))),
                ("Ngày hiệu lực", vi_date(datetime.fromisoformat(eff)) if eff else "Đang cập nhật"),
                ("Trích yếu", lg["abstract"]),
            ]
        if self.award is not None and self.kind == "award_decision":
            a = self.award
            return [
                ("Số quyết định", a["decision_number"]),
                ("Ngày ký", vi_date(datetime.fromisoformat(a["decided_on"]))),
                ("Hình thức khen thưởng", a["award"]),
                ("Cấp khen thưởng", a["conferred_by"]),
            ]
        return []

    def labels(self) -> dict[str, str]:
        """Every label/value pair a reader sees in the article: its metadata block, and a Q&A's
        "Trả lời:" answer line."""
        shown = dict(self.label_rows())
        for para in self.paragraphs:
            if self.kind == "qa" and para.startswith("Trả lời:"):
                shown["Trả lời"] = para.split(":", 1)[1].strip()
        return shown

    def body_tables(self) -> list[BodyTable]:
        """The tables the article body shows, in order."""
        tables = [
            BodyTable(spec["header"], spec["rows"], "tbl-khenthuong", header_in_th=spec["th"])
            for spec in self.extra.get("award_tables", [])
        ]
        if "nominees" in self.extra:
            tables.append(
                BodyTable(
                    [["STT", "Tập thể, cá nhân", "Chức vụ", "Đơn vị", "Hình thức đề nghị"]],
                    [
                        [str(k), n["name"], n["position"] or "", n["unit"] or "", n["award"]]
                        for k, n in enumerate(self.extra["nominees"], 1)
                    ],
                    "tbl-xinykien",
                )
            )
        return tables

    def ground_truth(self, file_facts: dict[tuple[Any, ...], tuple[int, str]]) -> dict[str, Any]:
        award = None
        if self.award is not None:
            award = dict(self.award)
            award["recipients"] = [
                {
                    "name": r.name,
                    "canonical": r.canonical,
                    "kind": r.kind,
                    "unit": r.unit,
                    "position": r.position,
                    "award": r.award,
                    "source": r.source,
                    "honorific": r.honorific,
                }
                for r in self.recipients
            ]
        attachments = []
        for a in self.attachments:
            size, digest = file_facts[a.spec]
            attachments.append(
                {
                    "url": a.url,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "bytes": size,
                    "sha256": digest,
                }
            )
        out: dict[str, Any] = {
            "url": self.url,
            "site_id": self.site_id,
            "category": self.category,
            "kind": self.kind,
            "section": self.section,
            "title": self.title,
            "published_at": self.published_at,
            "published_raw": self.published_raw,
            "summary": self.summary,
            "source": self.source,
            "body_contains": list(self.body_contains),
            # Every paragraph of the article as a reader sees it, and the rows of its tables (header
            # first): what body_text must hold, all of it and nothing of the site's furniture.
            "paragraphs": [*self.paragraphs, *([SCRIPT_PARAGRAPH] if "script" in self.quirks else [])],
            "body_tables": [[*t.header, *t.rows] for t in self.body_tables()],
            "labels": self.labels(),
            "images": list(self.images),
            "attachments": attachments,
            "legal": dict(self.legal) if self.legal else None,
            "award": award,
            "movements": [dict(m) for m in self.movements],
            "cites": list(self.cites),
            "quirks": sorted(set(self.quirks)),
        }
        if self.legal is not None or self.kind == "award_decision":
            # Whether the page shows its labelled block; without one, the text and file say it all.
            out["metadata_block"] = self.extra.get("labels", True)
        for key in ("question", "asker", "video", "nominees"):
            if key in self.extra:
                out[key] = self.extra[key]
        return out


# ----------------------------------------------------------------------------------------------------------
# Building


def category_counts(total: int) -> dict[str, int]:
    """Split `total` items (static pages included) over the leaves in the default proportions, ≥ 3 each."""
    leaves = [c for c in CATEGORIES if not c.static]
    n = max(total - 3, 3 * len(leaves))
    weight_sum = sum(c.weight for c in leaves)
    raw = {c.slug: max(3.0, n * c.weight / weight_sum) for c in leaves}
    counts = {slug: int(v) for slug, v in raw.items()}
    leftovers = sorted(raw, key=lambda s: (counts[s] - raw[s], s))
    i = 0
    while sum(counts.values()) < n:
        counts[leftovers[i % len(leftovers)]] += 1
        i += 1
    while sum(counts.values()) > n:
        slug = max(counts, key=lambda s: (counts[s], s))
        counts[slug] -= 1
    return counts


class People:
    """Recurring recipients: a pool of people and collectives drawn with Zipf-like weights."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.people: list[tuple[str, str, str]] = []  # (name, position, unit)
        self.collectives: list[str] = list(V.FIXED_COLLECTIVES)
        seen: set[str] = set(self.collectives)
        # The vocabulary bounds how many distinct names exist; stop after enough tries instead of looping.
        for _ in range(size * 20):
            if len(self.collectives) >= size:
                break
            name = rng.choice(V.COLLECTIVE_PATTERNS).format(
                c=rng.choice(V.COMMUNES), d=rng.choice(V.DISTRICTS[:7])
            )
            if name not in seen:
                seen.add(name)
                self.collectives.append(name)
        names: set[str] = set()
        for _ in range(size * 20):
            if len(self.people) >= size:
                break
            name = person_name(rng)
            if name not in names:
                names.add(name)
                unit = rng.choice(self.collectives)
                self.people.append((name, rng.choice(positions_for(unit)), unit))
        self._pw = list(accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(self.people))))
        self._cw = list(accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(self.collectives))))

    def person(self, rng: random.Random) -> tuple[str, str, str]:
        return rng.choices(self.people, cum_weights=self._pw)[0]

    def collective(self, rng: random.Random) -> str:
        return rng.choices(self.collectives, cum_weights=self._cw)[0]


def honorific_for(name: str, unit: str | None, rng: random.Random) -> str:
    """What a list writes before a person's name: a rank in the police and the army, else Ông or Bà."""
    for prefix, ranks in V.RANKS_BY_UNIT:
        if unit and unit.startswith(prefix) and rng.random() < 0.7:
            return rng.choice(ranks)
    words = name.split()
    female = any(w in ("Thị", "Thu", "Hồng", "Ngọc") for w in words[1:-1]) or words[-1] in V.FEMALE_ONLY_GIVEN
    return "Bà" if female else "Ông"


def written_entry(r: Recipient, *, lower_honorific: bool = False) -> str:
    """A recipient as a list or prose writes it: "Ông Nguyễn Văn An, Hiệu trưởng Trường THCS …"."""
    if r.kind == "collective":
        return r.shown
    honorific = r.honorific or ""
    if lower_honorific and honorific in ("Ông", "Bà"):
        honorific = honorific.lower()
    head = f"{honorific} {r.name}".strip()
    tail = " ".join(p for p in (r.position, r.unit) if p)
    return f"{head}, {tail}" if tail else head


def award_table(form: str, recipients: list[Recipient], award: str) -> dict[str, Any]:
    """A recipients table as a page shows it: header in th, in the first row of td, split over two
    rows with a column per award, or none at all."""
    body = [[str(k), r.shown, r.position or "", r.unit or ""] for k, r in enumerate(recipients, 1)]
    if form == "table_th":
        return {"header": [["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]], "th": True, "rows": body}
    if form == "table_td_header":
        return {
            "header": [["TT", "Tên tập thể, cá nhân", "Chức vụ", "Đơn vị công tác"]],
            "th": False,
            "rows": body,
        }
    if form == "table_split_header":
        rows = [
            [str(k), r.shown, " ".join(p for p in (r.position, r.unit) if p), "x"]
            for k, r in enumerate(recipients, 1)
        ]
        header = [
            ["STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Hình thức khen thưởng"],
            ["", "", "", award],
        ]
        return {"header": header, "th": False, "rows": rows}
    return {"header": [], "th": False, "rows": body}


def count_phrase(collectives: int, individuals: int) -> str:
    """ "3 tập thể và 2 cá nhân", without a part that would say 0."""
    parts = [f"{n} {word}" for n, word in ((collectives, "tập thể"), (individuals, "cá nhân")) if n]
    return " và ".join(parts)


def positions_for(unit: str) -> list[str]:
    """Positions that make sense in a unit: a school has teachers, a commune has a chairman."""
    for prefix, positions in V.POSITIONS_BY_UNIT:
        if unit.startswith(prefix):
            return positions
    return V.POSITIONS_DEFAULT


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(V.SURNAMES)} {rng.choice(V.MALE_MIDDLE)} {rng.choice(V.MALE_GIVEN)}"
    return f"{rng.choice(V.SURNAMES)} {rng.choice(V.FEMALE_MIDDLE)} {rng.choice(V.FEMALE_GIVEN)}"


@dataclass
class SiteModel:
    seed: int
    state: int
    total: int
    items: list[Item]  # live items, newest first
    categories: list[Category]
    dead_links: list[tuple[str, str, str]]  # (category, title, path)
    decoys: list[str]
    changes: dict[str, list[str]]
    removed: dict[str, int]  # path -> 404 or 410

    @cached_property
    def by_url(self) -> dict[str, Item]:
        return {it.url: it for it in self.items}

    @cached_property
    def by_category(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {c.slug: [] for c in self.categories}
        for it in self.items:
            out[it.category].append(it)
        return out


class Builder:
    def __init__(self, seed: int, total: int) -> None:
        self.seed = seed
        self.total = total
        self.people = People(random.Random(f"{seed}:people"), 60 + total // 20)
        # Above this many items attachments reuse a pool of file bodies (URLs stay distinct).
        self.distinct_files = 700

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def base_items(self) -> list[Item]:
        counts = category_counts(self.total)
        rng = self.rng("dates")
        span = (STATE1_END - STATE1_START).total_seconds()
        items: list[Item] = []
        for cat in CATEGORIES:
            if cat.static:
                continue
            for _ in range(counts[cat.slug]):
                frac = rng.random()
                if cat.kind == "notice":  # notices cluster in recent years, like the seed's box
                    frac = 1 - frac**2.2
                when = STATE1_START + timedelta(seconds=int(frac * span))
                if when.hour < 7 or when.hour > 17:
                    when = when.replace(hour=7 + when.hour % 11)
                items.append(Item(index=0, category=cat.slug, when=when))
        items.sort(key=lambda it: (it.when, it.category))
        ids = sorted(rng.sample(range(1000, 1000 + 4 * len(items) + 2000), len(items)))
        for i, (it, site_id) in enumerate(zip(items, ids, strict=True)):
            it.index = i
            it.site_id = site_id
        for it in items:
            self.fill(it, self.rng("item", it.index))
        return items

    def static_items(self) -> list[Item]:
        out = []
        titles = {
            "hoi-dong-tdkt-tinh": "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình",
            "ban-tdkt-so-noi-vu": "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình",
            "cac-cum-khoi-thi-dua-thuoc-tinh": "Các cụm, khối thi đua thuộc tỉnh Thái Bình",
        }
        for i, cat in enumerate(c for c in CATEGORIES if c.static):
            it = Item(
                index=-1 - i,
                category=cat.slug,
                when=datetime(2019, 7, 29, 8, 0, 0),
                kind="about",
                title=titles[cat.slug],
                slug=cat.slug,
                date_form="none",
            )
            it.paragraphs = list(V.ABOUT_PAGES[cat.slug])
            it.body_contains = [it.paragraphs[1], it.paragraphs[2]]
            it.quirks.append("no_date")
            out.append(it)
        return out

    # -- per kind -------------------------------------------------------------------------------------------

    def fill(self, it: Item, rng: random.Random) -> None:
        cat = CATEGORY_BY_SLUG[it.category]
        it.kind = cat.kind
        roll = rng.random()
        if cat.kind == "notice":  # the notice page says "Ngày: dd/mm/yyyy", its list the US timestamp
            it.date_form = "ngay"
        elif cat.kind in ("legal_text", "award_decision"):
            it.date_form = "ngay" if roll < 0.8 else ("thu" if roll < 0.9 else "dangngay")
        else:
            forms = [
                ("ngay", 0.58),
                ("capnhat", 0.12),
                ("thu", 0.1),
                ("ngaydang", 0.08),
                ("dangngay", 0.08),
                ("none", 0.04),
            ]
            acc = 0.0
            for form, p in forms:
                acc += p
                if roll < acc:
                    it.date_form = form
                    break
            else:
                it.date_form = "ngay"
        if it.date_form == "none":
            it.quirks.append("no_date")
        getattr(self, f"fill_{cat.kind}")(it, rng)
        it.slug = slugify(it.title)
        it.extra["doc_title"] = it.title
        if it.index % 23 == 5:
            it.quirks.append("nfd")
        elif it.index % 29 == 7:
            it.quirks.append("entities")

    def ctx(self, it: Item, rng: random.Random) -> dict[str, Any]:
        y = it.when.year
        p1 = y - y % 5 + 1 if y % 5 else y - 4
        pn, pos, unit = self.people.person(rng)
        return {
            "y": y,
            "y0": y - 1,
            "p1": p1,
            "p2": p1 + 4,
            "d": rng.choice(V.DISTRICTS),
            "c": rng.choice(V.COMMUNES),
            "f": rng.choice(V.FIELDS),
            "n": rng.randint(12, 95),
            "n2": rng.randint(20, 240),
            "n3": rng.randint(96, 99),
            "n4": rng.randint(120, 980),
            "k": rng.randint(1, 4),
            "q": rng.randint(1, 4),
            "mo": it.when.month,
            "m": rng.choice(V.MOVEMENTS),
            "m2": rng.choice(V.MODELS_LOCAL),
            "pn": pn,
            "pos": pos,
            "unit": unit,
            "award": rng.choice(
                [
                    "Bằng khen của Chủ tịch UBND tỉnh",
                    "Cờ thi đua của UBND tỉnh",
                    "Bằng khen của Thủ tướng Chính phủ",
                    "Huân chương Lao động hạng Ba",
                ]
            ),
        }

    def cite_sentence(self, it: Item, rng: random.Random) -> str | None:
        usable = [c for c in V.CITABLE if c[2] <= it.when.year]
        if not usable:
            return None
        number, phrase, _ = rng.choice(usable)
        it.cites.append(number)
        return rng.choice(
            [
                (
                    f"Thực hiện {phrase} {number}, các cấp, ngành đã cụ thể hóa nội dung thi đua phù hợp "
                    "với thực tiễn."
                ),
                f"Căn cứ {phrase} {number}, đơn vị đã rà soát, hoàn thiện quy chế thi đua, khen thưởng.",
                f"Việc triển khai {phrase} {number} được thực hiện nghiêm túc, đúng tiến độ.",
            ]
        )

    def attachment(
        self, it: Item, rng: random.Random, kind: str, stem: str, label: str, spec_extra: tuple[Any, ...] = ()
    ) -> Attachment:
        ext, ctype = {
            "pdf": ("pdf", "application/pdf"),
            "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "doc": ("doc", "application/msword"),
            "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "xls": ("xls", "application/vnd.ms-excel"),
            "zip": ("zip", "application/zip"),
        }[kind]
        number = len(it.attachments)
        if rng.random() < 0.25:  # names typed by staff, with spaces: served percent-encoded
            words = slugify(stem).split("-")[:6]
            name = " ".join(w.upper() if len(w) <= 3 else w.capitalize() for w in words)
            filename = f"{name} {it.site_id or 0}{number or ''}.{ext}"
            path = filename.replace(" ", "%20")
        else:
            filename = f"{slugify(stem, 70)}-{it.site_id or 0}{number or ''}.{ext}"
            path = filename
        url = f"/Uploads/files/{it.when.year}/{path}"
        spec: tuple[Any, ...] = (kind, it.index, number, *spec_extra)
        if it.index >= self.distinct_files:
            spec = (kind, "pool", it.index % 97, number)
        return Attachment(url=url, filename=filename, content_type=ctype, label=label, spec=spec)

    def images(self, it: Item, rng: random.Random, chance: float) -> None:
        if rng.random() < chance:
            for k in range(rng.randint(1, 2)):
                it.images.append(
                    f"/Uploads/images/{it.when.year}/{it.when.month:02d}/{slugify(it.title, 40)}-{k + 1}.jpg"
                )

    # -- movements named in an item's text ----------------------------------------------------------

    def mention(
        self,
        it: Item,
        text: str,
        name: str,
        *,
        launched_on: str | None = None,
        launched_by: str | None = None,
        period: tuple[int | None, int | None] = (None, None),
    ) -> None:
        """Record that `text` (a title, summary or paragraph, or a part of one) names a movement."""
        it.extra.setdefault("mentions", []).append(
            (
                text,
                {
                    "name": name,
                    "launched_on": launched_on,
                    "launched_by": launched_by,
                    "period_start": period[0],
                    "period_end": period[1],
                },
            )
        )

    def finish_mentions(self, it: Item) -> None:
        """The item's movements, one per name in order of first appearance (title, summary, then the
        paragraphs), facts of later mentions filling what earlier ones left empty."""
        records = list(it.extra.pop("mentions", []))
        merged: dict[str, dict[str, Any]] = {}
        for source in [it.title, it.summary or "", *it.paragraphs]:
            for record in list(records):
                text, facts = record
                if text not in source:
                    continue
                records.remove(record)
                key = facts["name"]
                known = merged.setdefault(key, dict(facts))
                for fact in ("launched_on", "launched_by"):
                    known[fact] = known[fact] or facts[fact]
                if known["period_start"] is None:
                    known["period_start"], known["period_end"] = facts["period_start"], facts["period_end"]
        assert not records, f"mentions not in the item's text: {records}"
        it.movements = list(merged.values())

    def fill_news(self, it: Item, rng: random.Random) -> None:
        c = self.ctx(it, rng)
        template = rng.choice(V.NEWS_TITLES)
        it.title = template.format(**c)
        if "{m}" in template:
            self.mention(it, it.title, c["m"])
        host = rng.choice(
            [
                "UBND tỉnh",
                "Hội đồng Thi đua - Khen thưởng tỉnh",
                f"UBND huyện {c['d']}",
                "Ban Thi đua - Khen thưởng",
            ]
        )
        event = rng.choice(["hội nghị", "buổi làm việc", "lễ biểu dương", "chương trình gặp mặt"])
        it.summary = (
            f"Ngày {vi_date(it.when, pad=False)}, {host} tổ chức {event} "
            f"với sự tham dự của {c['n2']} đại biểu."
        )
        sentences = rng.sample(V.NEWS_SENTENCES, 5)
        it.paragraphs = [s.format(**c) for s in sentences]
        if V.NEWS_AWARD_SENTENCE in sentences:
            self.reported_award(it, c["unit"], c["award"])
        cite = self.cite_sentence(it, rng)
        if cite:
            it.paragraphs.insert(2, cite)
        roll = rng.random()
        if roll < 0.6:
            it.paragraphs.append(self.movement_sentence(it, rng, roll))
        it.body_contains = [it.paragraphs[1], it.paragraphs[3]]
        it.source = "Báo Thái Bình" if rng.random() < 0.4 else None
        self.images(it, rng, 0.7)
        if rng.random() < 0.06:
            it.attachments.append(self.attachment(it, rng, "pdf", it.title, "Tải về"))
        self.finish_mentions(it)

    def movement_sentence(self, it: Item, rng: random.Random, roll: float) -> str:
        """A sentence of news naming movements: several in one list, with or without who launched
        them (as the subject, or after "do … phát động")."""
        names = rng.sample(V.MOVEMENTS, 3)
        canonical, spellings = rng.choice(V.LAUNCHERS_CENTRAL + V.LAUNCHERS_PROVINCE)
        written = rng.choice(spellings).format(pn=person_name(rng))
        if roll < 0.15:
            text = (
                f"Năm {it.when.year}, các phong trào thi đua “{names[0]}”, “{names[1]}” và “{names[2]}” được "
                "triển khai sâu rộng."
            )
            for name in names:
                self.mention(it, text, name)
        elif roll < 0.3:
            text = f"Các cơ quan, đơn vị hưởng ứng phong trào thi đua “{names[0]}” do {written} phát động."
            self.mention(it, text, names[0], launched_by=canonical)
        elif roll < 0.45:
            text = (
                f"Thời gian qua, {written} đã phát động {len(names)} phong trào thi đua: “{names[0]}”; "
                f"“{names[1]}” và “{names[2]}”."
            )
            for name in names:
                self.mention(it, text, name, launched_by=canonical)
        else:
            text = (
                f"Các đơn vị tiếp tục hưởng ứng phong trào thi đua “{names[0]}” với nhiều cách làm sáng tạo."
            )
            self.mention(it, text, names[0])
        return text

    def reported_award(self, it: Item, unit: str, award: str) -> None:
        """News that reports one conferral ("Dịp này, … vinh dự được tặng …"): an award row."""
        form = V.AWARD_FACTS[award]
        it.recipients = [Recipient(unit, unit, unit, "collective", None, None, award, "text")]
        it.award = {
            "decision_number": None,
            "decided_on": None,
            "award": award,
            "award_rank": form[0],
            "conferred_by": form[1],
            "collectives": 1,
            "individuals": 0,
            "stated_collectives": None,
            "stated_individuals": None,
        }

    def fill_notice(self, it: Item, rng: random.Random) -> None:
        c = self.ctx(it, rng)
        template = rng.choice(V.NOTICE_TITLES)
        it.title = template.format(**c)
        if "{m}" in template:
            period = (c["p1"], c["p2"]) if "“{m}” giai đoạn {p1}-{p2}" in template else (None, None)
            self.mention(it, it.title, c["m"], period=period)
        it.summary = None
        deadline = it.when + timedelta(days=rng.randint(7, 30))
        it.paragraphs = [
            (
                "Ban Thi đua - Khen thưởng, Sở Nội vụ thông báo tới các cơ quan, đơn vị, địa phương nội "
                f"dung {it.title[0].lower() + it.title[1:]}."
            ),
            (
                f"Hồ sơ gửi về Ban Thi đua - Khen thưởng trước ngày {vi_date(deadline)}, số lượng "
                f"{c['k'] + 1} bộ."
            ),
            f"Mọi vướng mắc liên hệ Phòng Khen thưởng, điện thoại 0227.3834.{c['n2'] + 100}.",
        ]
        cite = self.cite_sentence(it, rng)
        if cite:
            it.paragraphs.insert(1, cite)
        it.body_contains = [it.paragraphs[-2], it.paragraphs[-1]]
        if rng.random() < 0.5:
            it.attachments.append(
                self.attachment(it, rng, rng.choice(["pdf", "pdf", "docx"]), it.title, "Tải về")
            )

        self.finish_mentions(it)

    def fill_legal_text(self, it: Item, rng: random.Random) -> None:
        doc_type, type_code, issuer, issuer_code, family = rng.choice(V.LEGAL_FAMILIES[it.category])
        issued = (it.when - timedelta(days=rng.randint(0, 12))).date()
        y = issued.year
        n = rng.randint(1, 3400)
        number_year = None
        if family == "law":
            term = 13 if y < 2016 else (14 if y < 2021 else 15)
            issuer_code = f"QH{term}"
            n = rng.randint(1, 60)
            number = f"{n:02d}/{y}/{issuer_code}"
            number_year = y
        elif family == "vbqppl":
            n = rng.randint(1, 120)
            number = f"{n:02d}/{y}/{type_code}-{issuer_code}"
            number_year = y
        elif family == "party":
            n = rng.randint(1, 60)
            number = f"{n:02d}-{type_code}/{issuer_code}"
        elif family == "cv":
            number = f"{n}/{issuer_code}-{rng.choice(V.CV_UNITS)}"
        else:
            number = f"{n:02d}/{type_code}-{issuer_code}"
        c = self.ctx(it, rng)
        subject = rng.choice(V.LEGAL_SUBJECTS).format(**c)
        abstract = {"law": "Luật Thi đua, khen thưởng", "cv": f"V/v {subject}"}.get(family, f"Về {subject}")
        it.extra["family"] = family
        if family == "law":
            effective = date(y + 1, 1, 1)
        elif family == "vbqppl":
            effective = issued + timedelta(days=rng.choice([10, 15, 45]))
        elif doc_type == "Quyết định":
            effective = issued
        else:
            effective = None
        signer = person_name(rng)
        capacity, title = rng.choice(V.SIGNATURES[issuer])
        # Some pages show no labelled block: what is known comes from the attached file's own layout.
        pooled = it.index >= self.distinct_files  # its file is one of a pool of bodies, not its own
        it.extra["labels"] = family in ("law", "party") or pooled or rng.random() >= 0.35
        it.legal = {
            "number": number,
            "doc_type": doc_type,
            "issuer": issuer,
            "signer": signer,
            "issued_on": issued.isoformat(),
            "effective_on": effective.isoformat() if effective else None,
            "abstract": abstract,
            "number_year": number_year,
            "type_code": type_code,
            "issuer_code": issuer_code,
            "signing_capacity": None if pooled else V.case_capacity(capacity),
            "signer_title": None if pooled else V.case_title(title),
        }
        it.extra["signature"] = (capacity, title)
        if family == "law":
            it.title = f"Luật Thi đua, khen thưởng số {number}"
        elif rng.random() < 0.5 and it.extra["labels"]:
            it.title = f"{doc_type} số {number} {subject}"
        else:
            it.title = f"{doc_type} {subject}"
        about = f"về {subject}" if family == "cv" else abstract[0].lower() + abstract[1:]
        it.summary = (
            f"{doc_type} số {number} ngày {vi_date(issued)} của {issuer} {about}."
            if it.extra["labels"]
            else None
        )
        it.paragraphs = [
            (f"Ngày {vi_date(issued, pad=False)}, {issuer} ban hành {doc_type} số {number} {about}."),
            f"Văn bản gồm {c['k'] + 2} chương, {c['n'] // 3 + 5} điều, do đồng chí {signer} ký ban hành.",
            (
                "Các cơ quan, đơn vị có trách nhiệm triển khai thực hiện và báo cáo kết quả trước ngày "
                f"{vi_date(issued + timedelta(days=rng.randint(30, 120)))}."
            ),
        ]
        it.cites.append(number)
        cite = self.cite_sentence(it, rng)
        if cite:
            it.paragraphs.insert(1, cite)
        it.body_contains = [it.paragraphs[-2], it.paragraphs[-1]]
        kind = rng.choices(["pdf", "docx", "doc"], [6, 3, 1])[0]
        if not it.extra["labels"] and kind == "doc":
            kind = "pdf"
        it.attachments.append(self.attachment(it, rng, kind, f"{doc_type} {number}", "Tải về"))

    def fill_award_decision(self, it: Item, rng: random.Random) -> None:
        """An award decision in one of the forms real pages and files write recipients in (see
        V.AWARD_FORMS), with or without the page's labelled block; its truth field by field."""
        award, rank, kinds = rng.choice(V.AWARDS_BY_CATEGORY[it.category])
        if it.category in V.AUTHORITY_BY_CATEGORY:
            conferred_by, code = V.AUTHORITY_BY_CATEGORY[it.category]
        else:
            conferred_by, code = V.OTHER_AUTHORITY[award]
        decided = (it.when - timedelta(days=rng.randint(1, 20))).date()
        number = f"{rng.randint(10, 3200)}/QĐ-{code}"
        forms = V.AWARD_FORMS_DRAWN if it.index < self.distinct_files else V.AWARD_FORMS_WITHOUT_FILES
        form = forms[(it.index * 7 + rng.randint(0, len(forms) - 1)) % len(forms)]
        source = {"file_table": rng.choice(["docx", "pdf"]), "annex_lines": rng.choice(["docx", "pdf"])}.get(
            form, "html" if form.startswith("table") else "text"
        )
        it.extra["award_form"] = form
        it.extra["labels"] = rng.random() >= 0.35
        # A deputy prime minister signing, and news citing the number bare ("Quyết định số 509").
        bare = not it.extra["labels"] and code == "TTg" and award.startswith("Bằng khen") and source == "text"
        shown_number = number.split("/")[0] if bare else number
        n_total = rng.randint(3, 16) if form not in ("prose", "inline_list") else rng.randint(2, 5)
        recipients: list[Recipient] = []
        seen: set[str] = set()
        for _ in range(n_total):
            kind = rng.choice(kinds)
            if kind == "individual":
                name, position, unit = self.people.person(rng)
            else:
                name, position, unit = self.people.collective(rng), None, None
            if name in seen:
                continue
            seen.add(name)
            shown, variant = name, name
            r = rng.random()
            if source in ("html", "docx", "pdf") and form != "annex_lines":
                if r < 0.06:
                    shown = variant = name.upper()
                elif r < 0.1:
                    shown = name.replace(" ", "  ", 1)
            honorific = None
            if kind == "individual" and (form in V.AWARD_TEXT_FORMS or rng.random() < 0.2):
                honorific = honorific_for(name, unit, rng)
                shown = f"{honorific} {shown}"
            recipients.append(Recipient(variant, shown, name, kind, unit, position, award, source, honorific))
        recipients.sort(key=lambda r: (r.kind != "collective",))
        collectives = sum(r.kind == "collective" for r in recipients)
        individuals = len(recipients) - collectives
        # Some pages state more than they list ("… 12 tập thể và 25 cá nhân … Tiêu biểu là: …").
        partial = form in ("dash_bullets", "prose") and rng.random() < 0.35
        stated_c = collectives + (rng.randint(3, 12) if partial and collectives else 0)
        stated_i = individuals + (rng.randint(3, 20) if partial and individuals else 0)
        if form == "list_withheld":
            # The text counts them; the list it says is attached is published nowhere.
            recipients, collectives, individuals = [], None, None
        it.recipients = recipients
        # Named bare, the award is the Prime Minister's because a deputy prime minister signed it.
        award_text = "Bằng khen" if bare else award
        it.award = {
            "decision_number": shown_number,
            "decided_on": decided.isoformat(),
            "award": award,
            "award_rank": rank,
            "conferred_by": conferred_by,
            "collectives": collectives,
            "individuals": individuals,
            "stated_collectives": stated_c or None,
            "stated_individuals": stated_i or None,
        }
        verb = (
            "tặng thưởng"
            if award.startswith("Huân chương")
            else ("tặng danh hiệu" if "Chiến sĩ" in award or "Tập thể" in award or "Cờ" in award else "tặng")
        )
        signer = person_name(rng)
        subject = f"Phó Thủ tướng {signer}" if bare else conferred_by
        headcount = len(recipients) or stated_c + stated_i
        if bare:
            it.title = f"Phó Thủ tướng tặng Bằng khen cho {headcount} tập thể, cá nhân"
        elif rng.random() < 0.5:
            it.title = f"Quyết định số {number} của {conferred_by} về việc {verb} {award}"
        else:
            it.title = f"{headcount} tập thể, cá nhân được {verb} {award} năm {decided.year}"
        a, b = decided.year - rng.randint(3, 6), decided.year - 1
        m = rng.choice(V.MOVEMENTS)
        template = rng.choice(V.ACHIEVEMENTS)
        reason = template.format(a=a, b=b, m=m)
        if "{m}" in template:
            self.mention(it, reason, m)
        it.summary = (
            f"Ngày {vi_date(decided)}, {subject} ký Quyết định số {shown_number} về việc {verb} {award_text}."
        )
        counts = count_phrase(stated_c, stated_i)
        it.paragraphs = [
            (
                f"Theo Quyết định số {shown_number} ngày {vi_date(decided, pad=False)}, {counts} được {verb} "
                f"{award_text}."
            ),
            f"Các tập thể, cá nhân được khen thưởng {reason}.",
        ]
        it.paragraphs.extend(
            self.award_list_paragraphs(it, form, rng, award_text, subject, shown_number, decided)
        )
        cite = self.cite_sentence(it, rng)
        if cite:
            it.paragraphs.insert(1, cite)
        it.body_contains = [
            it.paragraphs[0],
            it.paragraphs[-2] if len(it.paragraphs) > 2 else it.paragraphs[-1],
        ]
        it.extra["reason"] = reason
        it.extra["signer"] = signer
        if source in ("docx", "pdf"):
            it.attachments.append(self.attachment(it, rng, source, f"QD {number}", "File đính kèm"))
        elif rng.random() < 0.4 and it.index < self.distinct_files:
            # A decision file beside a list the page itself holds: its text names no one twice.
            it.attachments.append(self.attachment(it, rng, "pdf", f"QD {number}", "File đính kèm"))
        self.finish_mentions(it)

    def award_list_paragraphs(
        self,
        it: Item,
        form: str,
        rng: random.Random,
        award: str,
        subject: str,
        number: str,
        decided: date,
    ) -> list[str]:
        """The page's own paragraphs that list the recipients, in the item's form; tables go to
        it.extra["award_tables"] (rendered by the theme), files list them themselves."""
        recipients = it.recipients
        if form.startswith("table"):
            it.extra["award_tables"] = [award_table(form, recipients, award)]
            return ["Danh sách tập thể, cá nhân được khen thưởng như sau:"]
        if form in ("file_table", "annex_lines"):
            return [
                f"Danh sách tập thể, cá nhân được khen thưởng có trong tệp đính kèm Quyết định số {number}."
            ]
        if form == "list_withheld":
            return [f"(Có danh sách kèm theo Quyết định số {number}, gửi các cơ quan, đơn vị có liên quan.)"]
        entries = [written_entry(r, lower_honorific=form == "prose") for r in recipients]
        if form == "prose":
            if len(entries) > 1 and recipients[-1].kind == "individual":
                listed = "; ".join(entries[:-1]) + " và " + entries[-1]
            else:
                listed = "; ".join(entries)
            lead = (
                "Trong đó, "
                if it.award["stated_collectives"] != it.award["collectives"]
                or (it.award["stated_individuals"] != it.award["individuals"])
                else ""
            )
            return [
                f"{lead}Ngày {vi_date(decided, pad=False)}, {subject} ký Quyết định số {number} tặng {award} "
                f"cho {listed}, đã có thành tích xuất sắc trong công tác."
            ]
        if form == "inline_list":
            numbered = "; ".join(f"{k}.{e}" if k % 2 else f"{k}. {e}" for k, e in enumerate(entries, 1))
            counts = count_phrase(it.award["collectives"], it.award["individuals"])
            return [f"{counts} được {subject} tặng {award}: {numbered}."]
        # dash bullets under an intro ending in "sau:"
        intro = (
            f"Ngày {vi_date(decided, pad=False)}, {subject} ký Quyết định số {number} tặng {award} cho các "
            "tập thể, cá nhân sau:"
        )
        if it.award["stated_individuals"] != it.award["individuals"] or (
            it.award["stated_collectives"] != it.award["collectives"]
        ):
            intro = "Tiêu biểu trong số các tập thể, cá nhân được khen thưởng có:"
        bullets = [f"- {e};" for e in entries]
        bullets[-1] = bullets[-1][:-1] + "."
        return [intro, *bullets]

    def fill_movement(self, it: Item, rng: random.Random) -> None:
        """A movement launched: its launcher written one of the ways texts write it (the truth keeps
        one spelling), as the subject of "phát động", of "tổ chức lễ phát động", or as the author of the
        launching document; the date full, or year-less where the page's own date gives the year."""
        name = rng.choice(V.MOVEMENTS)
        if it.category == "trung-uong-phat-dong":
            canonical, spellings = rng.choice(V.LAUNCHERS_CENTRAL)
        elif it.category == "tinh-phat-dong":
            canonical, spellings = rng.choice(V.LAUNCHERS_PROVINCE)
        else:
            canonical, spellings = rng.choice(V.LAUNCHERS_LOCAL)
        written = rng.choice(spellings).format(pn=person_name(rng))
        launched = (it.when - timedelta(days=rng.randint(0, 15))).date()
        y = launched.year
        p1, p2 = (y, y + rng.choice([2, 4])) if rng.random() < 0.75 else (None, None)
        period = f" giai đoạn {p1}-{p2}" if p1 else ""
        it.title = rng.choice(
            [
                f"{written} phát động phong trào thi đua “{name}”{period}",
                f"Phát động phong trào thi đua “{name}”{period}",
                f"Kế hoạch tổ chức phong trào thi đua “{name}”{period}",
            ]
        )
        title_by = canonical if it.title.startswith(written) else None
        self.mention(it, it.title, name, launched_by=title_by, period=(p1, p2))
        form = rng.choice(["subject", "ceremony", "document", "yearless"])
        if form == "yearless" and it.date_form == "none":
            form = "ceremony"  # without the page's date, a year-less launch date stays unknown
        day = vi_date(launched, pad=False)
        if form == "subject":
            it.summary = f"Ngày {day}, {written} phát động phong trào thi đua “{name}”{period}."
        elif form == "ceremony":
            it.summary = f"Ngày {day}, {written} tổ chức lễ phát động phong trào thi đua “{name}”{period}."
        elif form == "document":
            kind, code = rng.choice([("Chỉ thị", "CT"), ("Kế hoạch", "KH")])
            n = rng.randint(2, 240)
            it.summary = (
                f"Thực hiện {kind} số {n:02d}/{code}-UBND ngày {day} của {written} về việc phát động "
                f"phong trào thi đua “{name}”{period}, các cấp, ngành đã xây dựng kế hoạch hưởng ứng."
            )
            it.cites.append(f"{n:02d}/{code}-UBND")
        else:
            it.summary = (
                f"Sáng {launched.day}/{launched.month}, {written} tổ chức lễ phát động phong trào thi đua "
                f"“{name}”{period}."
            )
        self.mention(
            it, it.summary, name, launched_on=launched.isoformat(), launched_by=canonical, period=(p1, p2)
        )
        c = self.ctx(it, rng)
        it.paragraphs = [
            (
                f"Phong trào nhằm huy động {c['n2']} cơ quan, đơn vị, địa phương cùng tham gia với "
                f"{c['k'] + 3} nội dung trọng tâm."
            ),
            (
                f"Mục tiêu đến năm {p2 or y + 1}, {c['n']}% đơn vị đăng ký thi đua hoàn thành xuất sắc "
                "nhiệm vụ được giao."
            ),
            (
                f"Hội đồng Thi đua - Khen thưởng các cấp sẽ sơ kết vào quý {c['q']} và khen thưởng kịp thời "
                "các điển hình."
            ),
        ]
        cite = self.cite_sentence(it, rng)
        if cite:
            it.paragraphs.insert(1, cite)
        it.body_contains = [it.paragraphs[0], it.paragraphs[-2]]
        self.images(it, rng, 0.3)
        self.finish_mentions(it)

    def fill_guidance(self, it: Item, rng: random.Random) -> None:
        topic = rng.choice(V.GUIDANCE_TOPICS[it.category])
        y = it.when.year
        if it.category == "he-thong-bieu-mau":
            it.title = f"{topic} (áp dụng từ năm {y})"
        elif CATEGORY_BY_SLUG[it.category].parent == "Tiêu chuẩn khen thưởng":
            it.title = f"Tiêu chuẩn xét tặng “{topic}”" + (f" năm {y}" if rng.random() < 0.5 else "")
        else:
            it.title = rng.choice([f"Thủ tục đề nghị {topic}", f"Hướng dẫn hồ sơ, quy trình {topic} năm {y}"])
        c = self.ctx(it, rng)
        it.summary = (
            None
            if rng.random() < 0.5
            else f"Hướng dẫn áp dụng đối với {topic[0].lower() + topic[1:]} từ năm {y}."
        )
        it.paragraphs = [
            (
                f"Hồ sơ gồm {c['k'] + 1} bộ bản chính, nộp tại Bộ phận một cửa của Sở Nội vụ trong thời hạn "
                f"{c['n'] // 4 + 5} ngày làm việc."
            ),
            f"Thời gian giải quyết không quá {c['n'] // 5 + 10} ngày kể từ ngày nhận đủ hồ sơ hợp lệ.",
            "Cơ quan, đơn vị trình khen chịu trách nhiệm về tính chính xác của báo cáo thành tích.",
        ]
        cite = self.cite_sentence(it, rng)
        if cite:
            it.paragraphs.insert(0, cite)
        it.body_contains = [it.paragraphs[-3], it.paragraphs[-2]]
        if it.category == "he-thong-bieu-mau":
            it.attachments.append(self.attachment(it, rng, "docx", topic, "Tải về"))
            it.attachments.append(
                self.attachment(it, rng, rng.choice(["xlsx", "xlsx", "xls"]), topic, "Tải về")
            )
            if rng.random() < 0.3:
                it.attachments.append(self.attachment(it, rng, "doc", topic, "Tải về"))
        elif rng.random() < 0.4:
            it.attachments.append(self.attachment(it, rng, rng.choice(["docx", "pdf"]), it.title, "Tải về"))

    def fill_qa(self, it: Item, rng: random.Random) -> None:
        question = rng.choice(V.QA_QUESTIONS)
        title = rng.choice(["Ông", "Bà"])
        name = person_name(rng)
        asker = f"{title} {name} (xã {rng.choice(V.COMMUNES)}, huyện {rng.choice(V.DISTRICTS[:7])})"
        it.title = question
        it.extra["question"] = question
        it.extra["asker"] = asker
        usable = [
            c
            for c in V.CITABLE
            if c[2] <= it.when.year and c[1].startswith(("Luật", "Nghị định", "Thông tư"))
        ]
        law = rng.choice(usable) if usable else V.CITABLE[6]
        it.cites.append(law[0])
        c = self.ctx(it, rng)
        it.paragraphs = [
            f"Hỏi: {asker} hỏi: {question}",
            (
                f"Trả lời: Theo quy định tại {law[1]} {law[0]}, nội dung ông (bà) hỏi được hướng dẫn tại "
                f"Điều {c['k'] + 20}."
            ),
            (
                "Trường hợp cụ thể, cơ quan quản lý trực tiếp căn cứ thời gian công tác thực tế là "
                f"{c['n'] // 8 + 3} tháng để xem xét."
            ),
            "Ban Thi đua - Khen thưởng trân trọng cảm ơn ông (bà) đã quan tâm.",
        ]
        it.body_contains = [it.paragraphs[1].removeprefix("Trả lời: "), it.paragraphs[2]]

    def fill_video(self, it: Item, rng: random.Random) -> None:
        c = self.ctx(it, rng)
        template = rng.choice(V.VIDEO_TITLES)
        it.title = template.format(**c)
        if "{m}" in template:
            self.mention(it, it.title, c["m"])
        it.summary = (
            f"Video do Đài Phát thanh và Truyền hình Thái Bình thực hiện, thời lượng {c['k'] + 2} phút."
        )
        if rng.random() < 0.6:
            it.extra["video"] = f"/Uploads/video/{it.when.year}/{slugify(it.title, 50)}-{it.site_id}.mp4"
        else:
            it.extra["video"] = f"https://www.youtube.com/embed/tb{it.site_id}x{rng.randint(100, 999)}"
        it.paragraphs = [
            f"Phóng sự ghi lại hoạt động của {c['unit']} trong năm {c['y']}.",
            f"Trong {c['n']} phút, người xem thấy rõ những đổi thay ở xã {c['c']} nhờ phong trào thi đua.",
        ]
        it.body_contains = list(it.paragraphs)

        self.finish_mentions(it)

    def fill_consultation(self, it: Item, rng: random.Random) -> None:
        y = it.when.year
        award = rng.choice(
            [
                "Huân chương Lao động hạng Ba",
                "Huân chương Lao động hạng Nhì",
                "Bằng khen của Thủ tướng Chính phủ",
                "Chiến sĩ thi đua toàn quốc",
                "Cờ thi đua của Chính phủ",
            ]
        )
        authority = "Chủ tịch nước" if award.startswith("Huân") else "Thủ tướng Chính phủ"
        it.title = (
            f"Xin ý kiến nhân dân đối với các tập thể, cá nhân đề nghị {authority} tặng {award} năm {y}"
        )
        nominees = []
        for _ in range(rng.randint(3, 9)):
            if rng.random() < 0.5:
                name, position, unit = self.people.person(rng)
                nominees.append(
                    {"name": name, "kind": "individual", "unit": unit, "position": position, "award": award}
                )
            else:
                nominees.append(
                    {
                        "name": self.people.collective(rng),
                        "kind": "collective",
                        "unit": None,
                        "position": None,
                        "award": award,
                    }
                )
        it.extra["nominees"] = nominees
        deadline = it.when + timedelta(days=rng.randint(7, 15))
        it.paragraphs = [
            (
                "Thực hiện quy định về lấy ý kiến nhân dân, Ban Thi đua - Khen thưởng công khai danh sách "
                f"{len(nominees)} trường hợp đề nghị tặng {award}."
            ),
            (
                "Ý kiến góp ý gửi về Ban Thi đua - Khen thưởng, số 8 phố Lê Lợi, trước ngày "
                f"{vi_date(deadline)}."
            ),
        ]
        it.summary = None
        it.body_contains = list(it.paragraphs)


# ----------------------------------------------------------------------------------------------------------


def _special_quirks(items: list[Item], builder: Builder) -> None:
    """Place the one-off quirks on fixed, deterministic items."""
    news = [it for it in items if it.category == "tin-tuc-su-kien"]
    legacy = news[0]  # the oldest news item: the legacy windows-1258 page
    for q in ("nfd", "entities"):
        if q in legacy.quirks:
            legacy.quirks.remove(q)
    legacy.quirks.append("cp1258")
    # <script>, onerror= and a javascript: link inside the article body
    for it in (news[len(news) // 2], next(i for i in items if i.kind == "qa")):
        it.quirks.append("script")
        it.images.append(f"/Uploads/images/{it.when.year}/loi-anh-{it.site_id}.jpg")
    big = next(it for it in items if it.category == "he-thong-bieu-mau")
    rng = builder.rng("big")
    att = builder.attachment(big, rng, "zip", "Bo bieu mau scan", "Tải về")
    att.spec = ("zip", "big", big.index)
    big.attachments.append(att)
    big.quirks.append("big_attachment")
    target = next(it for it in items if it.kind == "legal_text" and "nfd" not in it.quirks and it.index > 10)
    trap = target.attachments[0]
    trap.filename = "../../../etc/passwd.pdf" if trap.url.endswith(".pdf") else "../../../etc/passwd.docx"
    trap.quirk = "path_traversal"
    target.quirks.append("path_traversal_filename")


def _dead_links(items: list[Item], rng: random.Random) -> list[tuple[str, str, str]]:
    used = {it.site_id for it in items}
    out = []
    for slug in ("tin-tuc-su-kien", "thong-bao", "van-ban-cua-ubnd-tinh", "guong-dien-hinh-tien-tien"):
        site_id = rng.randint(1000, 9999)
        while site_id in used:
            site_id += 1
        used.add(site_id)
        title = rng.choice(
            [
                "Bài viết đã được gỡ bỏ theo yêu cầu",
                "Thông tin tuyên truyền kỷ niệm ngày truyền thống",
                "Kết quả chấm điểm thi đua khối các huyện",
            ]
        )
        out.append((slug, title, f"/{slug}/{slugify(title)}-{site_id}.html"))
    return out


DECOYS = ["/dang-nhap.html", "/tai-khoan/dang-nhap.html", "/lien-ket/chuyen-huong.aspx"]


def build_model(
    *, seed: int = 2022, state: int = 1, items: int | None = None, scans: int = 0, hostile_scans: bool = False
) -> SiteModel:
    # Building 100k items makes millions of small objects and no cycles; the cyclic collector would
    # rescan the growing heap again and again (a third of the build time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_model(seed, state, items, scans, hostile_scans)
    finally:
        if enabled:
            gc.enable()


def _build_model(seed: int, state: int, items: int | None, scans: int, hostile_scans: bool) -> SiteModel:
    total = items or DEFAULT_ITEMS
    builder = Builder(seed, total)
    base = builder.base_items()
    _special_quirks(base, builder)
    _scanned_decisions(base, builder, scans)
    if hostile_scans:
        _hostile_scans(base, builder)
    statics = builder.static_items()
    dead = _dead_links(base, builder.rng("dead"))
    changes: dict[str, list[str]] = {"new": [], "edited": [], "removed": []}
    removed: dict[str, int] = {}
    live = list(base)
    if state >= 2:
        live, changes, removed = _state2(builder, base)
    live.sort(key=lambda it: (it.when, it.index), reverse=True)
    return SiteModel(
        seed=seed,
        state=state,
        total=total,
        items=live + statics,
        categories=list(CATEGORIES),
        dead_links=dead,
        decoys=list(DECOYS),
        changes=changes,
        removed=removed,
    )


def _scanned_decisions(items: list[Item], builder: Builder, count: int) -> None:
    """`count` award decisions whose PDF is the signed paper scanned (replica/scans.py): page images
    and no text layer. Off unless asked for: each scanned page costs seconds of OCR in every crawl.
    Mostly decisions whose PDF carries the recipients' annex, so the scans hold names to read."""
    if count <= 0:
        return
    decisions = [
        (it, att)
        for it in items
        if it.award and it.award.get("decision_number") and not it.quirks
        for att in it.attachments
        if att.spec[0] == "pdf" and att.spec[1] != "pool"
    ]
    with_annex = [d for d in decisions if d[0].recipients and d[0].recipients[0].source == "pdf"]
    others = [d for d in decisions if d not in with_annex]
    rng = builder.rng("scans")
    annexed = min(len(with_annex), count - count // 4)
    chosen = rng.sample(with_annex, annexed) + rng.sample(others, min(len(others), count - annexed))
    for _, att in chosen:
        att.spec = (*att.spec, "scan")


HOSTILE_SCANS = ("huge", "bomb")  # replica/scans.hostile_scan_pdf draws each


def _hostile_scans(items: list[Item], builder: Builder) -> None:
    """One award decision that also links two hostile "scans" (replica/scans.hostile_scan_pdf): PDFs
    whose page image no reader should decode. Off unless asked for, like the scans themselves."""
    decisions = [
        it
        for it in items
        if it.award
        and it.award.get("decision_number")
        and not it.quirks
        and it.attachments
        and all(att.spec[-1] != "scan" for att in it.attachments)
    ]
    it = builder.rng("hostile-scans").choice(decisions)
    for variant in HOSTILE_SCANS:
        number = len(it.attachments)
        filename = f"ban-scan-quyet-dinh-{it.site_id or 0}-{variant}.pdf"
        it.attachments.append(
            Attachment(
                url=f"/Uploads/files/{it.when.year}/{filename}",
                filename=filename,
                content_type="application/pdf",
                label=f"Bản scan quyết định ({variant})",
                spec=("pdf", it.index, number, variant, "hostile"),
            )
        )


def _state2(builder: Builder, base: list[Item]) -> tuple[list[Item], dict[str, list[str]], dict[str, int]]:
    rng = builder.rng("state2")
    max_id = max(it.site_id or 0 for it in base)
    new: list[Item] = []
    span = (STATE2_END - STATE1_END).total_seconds()
    for slug, count in STATE2_NEW.items():
        for _ in range(count):
            when = STATE1_END + timedelta(seconds=int(3600 * 24 * 2 + rng.random() * (span - 3600 * 24 * 3)))
            when = when.replace(hour=7 + when.hour % 10)
            new.append(Item(index=0, category=slug, when=when))
    new.sort(key=lambda it: (it.when, it.category))
    for k, it in enumerate(new):
        it.index = 100_000_000 + k
        max_id += rng.randint(1, 9)
        it.site_id = max_id
        builder.fill(it, builder.rng("item2", k))
        if it.index >= builder.distinct_files and it.attachments:
            pass
    protected = {"cp1258", "script", "big_attachment", "path_traversal_filename"}
    candidates = [it for it in base if not protected & set(it.quirks)]
    chosen = rng.sample(candidates, 18)
    edited, gone = chosen[:12], chosen[12:]
    changes = {"new": [it.url for it in new], "edited": [], "removed": [it.url for it in gone]}
    removed = {it.url: (404 if k % 2 else 410) for k, it in enumerate(gone)}
    gone_ids = {id(it) for it in gone}
    live = []
    for it in base:
        if id(it) in gone_ids:
            continue
        live.append(it)
    for k, it in enumerate(edited):
        when = STATE1_END + timedelta(days=3 + k * 2, hours=k % 5)
        clone = _clone(it)
        if k % 3 != 2:
            clone.title = clone.title + (" (cập nhật)" if k % 2 else " - bổ sung thông tin")
        if k % 3 != 0:
            extra = (
                f"Nội dung bài viết được Ban biên tập cập nhật ngày {vi_date(when)} với {k + 3} thông tin."
            )
            clone.paragraphs = [*clone.paragraphs, extra]
            clone.body_contains = [clone.body_contains[0], extra]
        clone.modified = when
        live[live.index(it)] = clone
        changes["edited"].append(clone.url)
    return live + new, changes, removed


def _clone(it: Item) -> Item:
    from copy import deepcopy

    return deepcopy(it)


def ground_truth(
    model: SiteModel, theme: str, file_facts: dict[tuple[Any, ...], tuple[int, str]], tracked: set[str]
) -> dict[str, Any]:
    cats = []
    for c in model.categories:
        entry: dict[str, Any] = {
            "slug": c.slug,
            "name": c.name,
            "parent": c.parent,
            "url": c.list_url,
            "kind": c.kind,
        }
        if c.slug == ENDLESS_PAGINATION:
            entry["endless_pagination"] = True
        cats.append(entry)
    items = []
    for it in model.items:
        gt = it.ground_truth(file_facts)
        for att, entry in zip(it.attachments, gt["attachments"], strict=True):
            if att.spec[-1] == "scan":  # what the scan prints, for measuring OCR
                from replica.scans import decision_scan_text

                entry["scan"] = {"text": decision_scan_text(it, model.seed)}
            elif att.spec[-1] == "hostile":  # to be refused with an error, the rest read as ever
                entry["hostile"] = att.spec[-2]
        if it.url in tracked:
            gt["quirks"] = sorted({*gt["quirks"], "tracking_links"})
        items.append(gt)
    return {
        "site": {"state": model.state, "theme": theme, "seed": model.seed, "items": len(model.items)},
        "categories": cats,
        "items": items,
        "dead_links": [path for _, _, path in model.dead_links],
        "decoys": list(model.decoys),
        "robots_disallowed": ["/admin/", "/tim-kiem"],
        "changes": {k: list(v) for k, v in model.changes.items()},
        "removed_status": dict(model.removed),
    }
