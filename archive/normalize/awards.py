"""Award forms of the 2022 law and who confers them.

Free text ("HCLĐ hạng Ba", "BK TTCP", "Cờ thi đua của UBND tỉnh") is matched on a folded key after
abbreviation expansion, longest form first. Who conferred an award is read from the decision number
("QĐ-TTg"), from who signed or is said to confer ("Phó Thủ tướng … ký Quyết định …", "Chủ tịch UBND
thành phố Hà Nội tặng …"), or from the award itself; a bare "Bằng khen" is then completed with that
authority ("Bằng khen của Thủ tướng Chính phủ"). The recipients are read in `recipients.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from archive.normalize.names import MINISTRIES
from archive.normalize.text import clean_text, fold_key

CHU_TICH_NUOC = "Chủ tịch nước"
THU_TUONG = "Thủ tướng Chính phủ"
CHINH_PHU = "Chính phủ"
CHU_TICH_UBND_TINH = "Chủ tịch UBND tỉnh"
CHU_TICH_UBND_THANH_PHO = "Chủ tịch UBND thành phố"  # a city of central rank (Hà Nội, Đà Nẵng, …)
CHU_TICH_UBND_HUYEN = "Chủ tịch UBND cấp huyện"
CHU_TICH_UBND_XA = "Chủ tịch UBND cấp xã"

RANK_NAMES = {1: "Nhất", 2: "Nhì", 3: "Ba"}


@dataclass(frozen=True)
class AwardForm:
    award: str  # canonical, rank included: "Huân chương Lao động hạng Ba"
    base: str  # without rank: "Huân chương Lao động"
    rank: int | None
    conferred_by: str | None
    category: str


@dataclass(frozen=True)
class _Form:
    name: str
    category: str
    conferred_by: str | None
    ranked: bool
    variants: tuple[str, ...]  # folded, abbreviations expanded, "cua" dropped


def _forms() -> list[_Form]:
    ctn = CHU_TICH_NUOC
    forms: list[_Form] = []

    def add(name: str, category: str, by: str | None, *variants: str, ranked: bool = False) -> None:
        keys = {_match_key(name), *(_match_key(v) for v in variants)}
        forms.append(_Form(name, category, by, ranked, tuple(sorted(keys))))

    # Orders (Đ.33.2) and legacy orders; all decided by the State President (Đ.77).
    for name, ranked in [
        ("Huân chương Sao vàng", False),
        ("Huân chương Hồ Chí Minh", False),
        ("Huân chương Độc lập", True),
        ("Huân chương Quân công", True),
        ("Huân chương Lao động", True),
        ("Huân chương Bảo vệ Tổ quốc", True),
        ("Huân chương Chiến công", True),
        ("Huân chương Đại đoàn kết dân tộc", False),
        ("Huân chương Dũng cảm", False),
        ("Huân chương Hữu nghị", False),
        ("Huân chương Kháng chiến", True),
        ("Huân chương Chiến thắng", True),
        ("Huân chương Chiến sĩ vẻ vang", True),
        ("Huân chương Chiến sĩ giải phóng", True),
    ]:
        add(name, "huan_chuong", ctn, ranked=ranked)
    # Medals (Đ.54.2). Sport medals (Huy chương Vàng/Bạc/Đồng) are deliberately absent.
    for name, ranked in [
        ("Huy chương Quân kỳ quyết thắng", False),
        ("Huy chương Vì an ninh Tổ quốc", False),
        ("Huy chương Chiến sĩ vẻ vang", True),
        ("Huy chương Hữu nghị", False),
        ("Huy chương Kháng chiến", True),
        ("Huy chương Thanh niên xung phong vẻ vang", False),
    ]:
        add(name, "huy_chuong", ctn, ranked=ranked)
    # Honorary titles (Đ.59.2).
    add("Tỉnh Anh hùng", "danh_hieu_vinh_du", ctn)
    add("Thành phố Anh hùng", "danh_hieu_vinh_du", ctn)
    add("Bà mẹ Việt Nam anh hùng", "danh_hieu_vinh_du", ctn, "Mẹ Việt Nam anh hùng", "BMVNAH", "Mẹ VNAH")
    add("Anh hùng Lực lượng vũ trang nhân dân", "danh_hieu_vinh_du", ctn, "AHLLVTND", "Anh hùng LLVT")
    add("Anh hùng Lao động", "danh_hieu_vinh_du", ctn, "AHLĐ")
    for name, abbr in [
        ("Nhà giáo nhân dân", "NGND"),
        ("Nhà giáo ưu tú", "NGƯT"),
        ("Thầy thuốc nhân dân", "TTND"),
        ("Thầy thuốc ưu tú", "TTƯT"),
        ("Nghệ sĩ nhân dân", "NSND"),
        ("Nghệ sĩ ưu tú", "NSƯT"),
        ("Nghệ nhân nhân dân", "NNND"),
        ("Nghệ nhân ưu tú", "NNƯT"),
    ]:
        add(name, "danh_hieu_vinh_du", ctn, abbr)
    add("Giải thưởng Hồ Chí Minh", "giai_thuong", ctn, "GTHCM")
    add("Giải thưởng Nhà nước", "giai_thuong", ctn, "GTNN")
    # Emulation titles (Chương II).
    add("Chiến sĩ thi đua toàn quốc", "danh_hieu_thi_dua", THU_TUONG, "CSTĐTQ")
    add(
        "Chiến sĩ thi đua cấp tỉnh",
        "danh_hieu_thi_dua",
        CHU_TICH_UBND_TINH,
        "Chiến sĩ thi đua tỉnh",
        "Chiến sĩ thi đua cấp bộ, ngành, tỉnh",
        "Chiến sĩ thi đua cấp bộ, ngành, tỉnh, đoàn thể trung ương",
        "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh",
    )
    add("Chiến sĩ thi đua cơ sở", "danh_hieu_thi_dua", None, "CSTĐCS", "Chiến sĩ thi đua cấp cơ sở")
    add("Chiến sĩ thi đua", "danh_hieu_thi_dua", None)
    add("Lao động tiên tiến", "danh_hieu_thi_dua", None, "LĐTT")
    add("Chiến sĩ tiên tiến", "danh_hieu_thi_dua", None)
    add("Cờ thi đua của Chính phủ", "co_thi_dua", CHINH_PHU, "Cờ của Chính phủ", "CTĐ CP")
    add(
        "Cờ thi đua của UBND tỉnh",
        "co_thi_dua",
        CHU_TICH_UBND_TINH,
        "Cờ thi đua của tỉnh",
        "Cờ thi đua của Chủ tịch UBND tỉnh",
        "Cờ thi đua xuất sắc của UBND tỉnh",
    )
    add(
        "Cờ thi đua của UBND thành phố",
        "co_thi_dua",
        CHU_TICH_UBND_THANH_PHO,
        "Cờ thi đua của thành phố",
        "Cờ thi đua của Chủ tịch UBND thành phố",
        "Cờ thi đua của UBND TP",
    )
    add("Cờ thi đua", "co_thi_dua", None)
    add("Tập thể lao động xuất sắc", "danh_hieu_thi_dua", CHU_TICH_UBND_TINH, "TTLĐXS", "Tập thể LĐXS")
    add("Đơn vị quyết thắng", "danh_hieu_thi_dua", None)
    add("Tập thể lao động tiên tiến", "danh_hieu_thi_dua", None, "TTLĐTT", "Tập thể LĐTT")
    add("Đơn vị tiên tiến", "danh_hieu_thi_dua", None)
    add("Xã, phường, thị trấn tiêu biểu", "danh_hieu_thi_dua", CHU_TICH_UBND_TINH)
    add("Thôn, tổ dân phố văn hóa", "danh_hieu_thi_dua", None, "Làng văn hóa", "Khu dân cư văn hóa")
    add("Gia đình văn hóa", "danh_hieu_thi_dua", None, "GĐVH")
    # Certificates (Đ.78, 79, 80).
    add("Bằng khen của Thủ tướng Chính phủ", "bang_khen", THU_TUONG, "BKTTg", "Bằng khen Thủ tướng")
    add(
        "Bằng khen của Chủ tịch UBND tỉnh",
        "bang_khen",
        CHU_TICH_UBND_TINH,
        "Bằng khen của UBND tỉnh",
        "Bằng khen của tỉnh",
    )
    add(
        "Bằng khen của Chủ tịch UBND thành phố",
        "bang_khen",
        CHU_TICH_UBND_THANH_PHO,
        "Bằng khen của UBND thành phố",
        "Bằng khen của Chủ tịch UBND TP",
        "Bằng khen của UBND TP",
        "Bằng khen của thành phố",
    )
    add("Bằng khen của Bộ trưởng Bộ Nội vụ", "bang_khen", "Bộ trưởng Bộ Nội vụ", "Bằng khen của Bộ Nội vụ")
    add("Bằng khen", "bang_khen", None)
    add("Giấy khen của Giám đốc Sở Nội vụ", "giay_khen", "Giám đốc Sở Nội vụ")
    add(
        "Giấy khen của Chủ tịch UBND cấp huyện",
        "giay_khen",
        CHU_TICH_UBND_HUYEN,
        "Giấy khen của Chủ tịch UBND huyện",
    )
    add(
        "Giấy khen của Chủ tịch UBND cấp xã",
        "giay_khen",
        CHU_TICH_UBND_XA,
        "Giấy khen của Chủ tịch UBND xã",
    )
    add("Giấy khen", "giay_khen", None)
    # Conferred by the Minister of Home Affairs since the Ban TĐKT Trung ương joined the ministry.
    add("Kỷ niệm chương Vì sự nghiệp Thi đua - Khen thưởng", "ky_niem_chuong", "Bộ trưởng Bộ Nội vụ")
    add("Kỷ niệm chương Vì sự nghiệp Giáo dục", "ky_niem_chuong", None)
    add("Kỷ niệm chương Vì sự nghiệp Xây dựng", "ky_niem_chuong", None)
    add("Kỷ niệm chương", "ky_niem_chuong", None)
    add("Bằng Tổ quốc ghi công", "bang_to_quoc_ghi_cong", THU_TUONG)
    return forms


# Whole-token abbreviations on folded text (§4.5 step 4); longer words are listed before their prefixes
# only for readability: matching is per token, so "hcld" never turns into "hc" + "ld".
_ABBREVIATIONS = {
    "hcsv": "huan chuong sao vang",
    "hchcm": "huan chuong ho chi minh",
    "hcdl": "huan chuong doc lap",
    "hcqc": "huan chuong quan cong",
    "hcld": "huan chuong lao dong",
    "hcbvtq": "huan chuong bao ve to quoc",
    "hccc": "huan chuong chien cong",
    "hcddkdt": "huan chuong dai doan ket dan toc",
    "hcdc": "huan chuong dung cam",
    "hchn": "huan chuong huu nghi",
    "hc": "huan chuong",
    "cstdtq": "chien si thi dua toan quoc",
    "cstdcs": "chien si thi dua co so",
    "cstd": "chien si thi dua",
    "ldtt": "lao dong tien tien",
    "ldxs": "lao dong xuat sac",
    "ttldxs": "tap the lao dong xuat sac",
    "ttldtt": "tap the lao dong tien tien",
    "bkttg": "bang khen thu tuong chinh phu",
    "bk": "bang khen",
    "ttcp": "thu tuong chinh phu",
    "ttg": "thu tuong chinh phu",
    "gk": "giay khen",
    "knc": "ky niem chuong",
    "ctd": "co thi dua",
    "cp": "chinh phu",
    "ubnd": "uy ban nhan dan",
    "ahld": "anh hung lao dong",
    "ahllvtnd": "anh hung luc luong vu trang nhan dan",
    "llvt": "luc luong vu trang",
    "bmvnah": "ba me viet nam anh hung",
    "vnah": "viet nam anh hung",
    "ngnd": "nha giao nhan dan",
    "ngut": "nha giao uu tu",
    "ttnd": "thay thuoc nhan dan",
    "ttut": "thay thuoc uu tu",
    "nsnd": "nghe si nhan dan",
    "nsut": "nghe si uu tu",
    "nnnd": "nghe nhan nhan dan",
    "nnut": "nghe nhan uu tu",
    "gthcm": "giai thuong ho chi minh",
    "gtnn": "giai thuong nha nuoc",
    "gdvh": "gia dinh van hoa",
    "sy": "si",
    "tdkt": "thi dua khen thuong",
    "tp": "thanh pho",
}
_TOKEN = re.compile(r"\S+")
# "của" carries no meaning for matching ("Bằng khen Thủ tướng" = "Bằng khen của Thủ tướng"); "CT UBND" is
# the chairman only right before "Ủy ban".
_DROP_CUA = re.compile(r"(?<!\S)cua(?!\S)\s*")
_CT_BEFORE_UBND = re.compile(r"(?<!\S)ct (?=uy ban)")
_RANK_AFTER = re.compile(r"\s*hang\s*(nhat|nhi|ba|iii|ii|i|1|2|3)(?!\S)")
_RANK_VALUES = {"nhat": 1, "i": 1, "1": 1, "nhi": 2, "ii": 2, "2": 2, "ba": 3, "iii": 3, "3": 3}


def _match_key(text: str) -> str:
    folded = fold_key(text)
    expanded = _TOKEN.sub(lambda m: _ABBREVIATIONS.get(m[0], m[0]), folded)
    expanded = _CT_BEFORE_UBND.sub("chu tich ", expanded)
    return _DROP_CUA.sub("", expanded).strip()


_FORMS = _forms()
_VARIANTS: list[tuple[str, _Form]] = sorted(
    ((variant, form) for form in _FORMS for variant in form.variants), key=lambda pair: -len(pair[0])
)
_VARIANT_PATTERN = re.compile(
    r"(?<!\S)(" + "|".join(re.escape(variant) for variant, _ in _VARIANTS) + r")(?!\S)"
)
_FORM_BY_VARIANT = dict(_VARIANTS)
_TOKEN_START = re.compile(r"(?<!\S)\S")


def _award_form(form: _Form, rank: int | None) -> AwardForm:
    if not form.ranked:
        rank = None
    name = f"{form.name} hạng {RANK_NAMES[rank]}" if rank else form.name
    return AwardForm(
        award=name, base=form.name, rank=rank, conferred_by=form.conferred_by, category=form.category
    )


def find_awards(text: str | None) -> list[AwardForm]:
    """Every award form named in a text, in order of appearance; overlapping names keep the longest."""
    if not text:
        return []
    key = _match_key(text)
    found: list[tuple[int, int, _Form]] = []
    # Anchored at every token start, the longest-first alternation yields the longest name there; a
    # shorter name found earlier can still overlap a longer one, which the pass below resolves.
    for token in _TOKEN_START.finditer(key):
        match = _VARIANT_PATTERN.match(key, token.start())
        if match:
            found.append((match.start(), match.end(), _FORM_BY_VARIANT[match[1]]))
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    kept: list[tuple[int, int, _Form]] = []
    for start, end, form in found:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, form))
    kept.sort(key=lambda f: f[0])
    forms: list[AwardForm] = []
    for _start, end, form in kept:
        rank_match = _RANK_AFTER.match(key, end)
        found = _award_form(form, _RANK_VALUES[rank_match[1]] if rank_match else None)
        if found.base in _COMPLETED_BY_WHAT_FOLLOWS:
            # "Bằng khen của Bộ trưởng Bộ Công an": the authority written right after the form.
            following = authorities_in(key[end : end + 80])
            if following and following[0].start <= 1:
                found = complete_award(found, following[0].name) or found
        forms.append(found)
    return forms


_COMPLETED_BY_WHAT_FOLLOWS = ("Bằng khen", "Giấy khen", "Cờ thi đua")


def canonical_award(text: str | None) -> AwardForm | None:
    """The first award form a text names ("HCLĐ hạng Ba" → Huân chương Lao động hạng Ba), or None."""
    forms = find_awards(text)
    return forms[0] if forms else None


# (type code, issuer code) → who decided. A UBND decision on awards is signed by its chairman (Đ.79).
_CONFERRER_BY_ISSUER = {
    "CTN": CHU_TICH_NUOC,
    "TTG": THU_TUONG,
    "CP": CHINH_PHU,
    "UBND": CHU_TICH_UBND_TINH,
    "BNV": "Bộ trưởng Bộ Nội vụ",
    "SNV": "Giám đốc Sở Nội vụ",
    "HĐTĐKT": "Hội đồng Thi đua - Khen thưởng tỉnh",
    "LĐLĐ": "Liên đoàn Lao động tỉnh",
}
_ISSUER_IN_NUMBER = re.compile(r"\d\s*/\s*(?:(?:19|20)\d{2}\s*/\s*)?[A-ZĐa-zđ]+\s*-\s*([A-ZĐa-zđ]+)")


def conferrer_from_number(doc_number: Any) -> str | None:
    """Who decided, from a decision number: "2207/QĐ-CTN" → "Chủ tịch nước"; None when unknown.

    Accepts the number as text or a parsed DocumentNumber (anything with `issuer_code`).
    """
    if doc_number is None:
        return None
    issuer = getattr(doc_number, "issuer_code", None)
    if issuer is None and isinstance(doc_number, str):
        match = _ISSUER_IN_NUMBER.search(clean_text(doc_number) or "")
        issuer = match[1] if match else None
    if not issuer:
        return None
    return _CONFERRER_BY_ISSUER.get(issuer.split("-")[0].upper())


# ---------------------------------------------------------------------------------------------------
# Who confers: authorities named in the text, and bare awards completed with them

_MINISTRY_KEYS = sorted(MINISTRIES, key=len, reverse=True)

# Authorities as the text names them, matched on the folded text (case, tones, đ and punctuation
# folded, so "Ủy ban nhân dân", "UBND" and "U.B.N.D" meet after abbreviation expansion). Longest and
# most specific first: "phó chủ tịch nước" before "chủ tịch", "chủ tịch ubnd thành phố" before "tỉnh".
_CITY_NAMES = r"(?:ha noi|ho chi minh|hai phong|da nang|can tho|hue)"
_AUTHORITY_PATTERNS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"\b(?:pho )?chu tich nuoc\b"), CHU_TICH_NUOC),
    (re.compile(r"\b(?:pho )?thu tuong(?: chinh phu)?\b"), THU_TUONG),
    (
        re.compile(rf"\b(?:pho )?chu tich (?:uy ban nhan dan )?(?:thanh pho|tp) {_CITY_NAMES}\b"),
        CHU_TICH_UBND_THANH_PHO,
    ),
    # A city's own press writes "UBND thành phố" without the name: its chairman, not a district's.
    (re.compile(r"\b(?:pho )?chu tich uy ban nhan dan (?:thanh pho|tp)\b"), CHU_TICH_UBND_THANH_PHO),
    (re.compile(r"\b(?:pho )?chu tich (?:uy ban nhan dan )?tinh\b"), CHU_TICH_UBND_TINH),
    (re.compile(r"\b(?:pho )?chu tich uy ban nhan dan (?:huyen|quan|thi xa)\b"), CHU_TICH_UBND_HUYEN),
    (re.compile(r"\b(?:pho )?chu tich uy ban nhan dan (?:xa|phuong|thi tran)\b"), CHU_TICH_UBND_XA),
    (re.compile(rf"\buy ban nhan dan (?:thanh pho|tp) {_CITY_NAMES}\b"), CHU_TICH_UBND_THANH_PHO),
    (re.compile(r"\buy ban nhan dan tinh\b"), CHU_TICH_UBND_TINH),
    (re.compile(r"\b(?:thu truong )?bo truong bo\b"), None),  # completed with the ministry's name
    (re.compile(r"\b(?:pho )?giam doc so\b"), None),  # completed with the department's name
    (re.compile(r"\b(?:pho )?giam doc cong an tinh\b"), "Giám đốc Công an tỉnh"),
    (re.compile(r"\bchinh phu\b"), CHINH_PHU),
]


@dataclass(frozen=True)
class Authority:
    start: int  # position in the folded key of the text (see `authorities_in`)
    end: int
    name: str  # canonical: "Thủ tướng Chính phủ", "Chủ tịch UBND thành phố", "Bộ trưởng Bộ Y tế"


def authority_key(text: str) -> str:
    """The folded, abbreviation-expanded key authorities are matched on (positions refer to it)."""
    folded = fold_key(text)
    return _TOKEN.sub(lambda m: _ABBREVIATIONS.get(m[0], m[0]), folded)


def authorities_in(text: str | None) -> list[Authority]:
    """Every conferring authority a text names, in order, on its folded key; overlaps keep the first
    (most specific) pattern's reading."""
    if not text:
        return []
    key = authority_key(text)
    found: list[Authority] = []
    taken: list[tuple[int, int]] = []
    for pattern, canonical in _AUTHORITY_PATTERNS:
        for match in pattern.finditer(key):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            name = canonical
            if name is None:
                rest = key[match.end() :].lstrip()
                ministry = next((k for k in _MINISTRY_KEYS if rest.startswith(k)), None)
                if ministry is None:
                    continue
                if "giam doc" in match[0]:
                    name = "Giám đốc " + MINISTRIES[ministry].replace("Bộ ", "Sở ", 1)
                else:
                    name = "Bộ trưởng " + MINISTRIES[ministry]
            taken.append((match.start(), match.end()))
            found.append(Authority(match.start(), match.end(), name))
    found.sort(key=lambda a: a.start)
    return found


# A bare form completed by its authority: "Bằng khen" + Thủ tướng → "Bằng khen của Thủ tướng Chính phủ".
_COMPLETIONS: dict[tuple[str, str], str] = {
    ("Bằng khen", THU_TUONG): "Bằng khen của Thủ tướng Chính phủ",
    ("Bằng khen", CHU_TICH_UBND_TINH): "Bằng khen của Chủ tịch UBND tỉnh",
    ("Bằng khen", CHU_TICH_UBND_THANH_PHO): "Bằng khen của Chủ tịch UBND thành phố",
    ("Cờ thi đua", THU_TUONG): "Cờ thi đua của Chính phủ",
    ("Cờ thi đua", CHINH_PHU): "Cờ thi đua của Chính phủ",
    ("Cờ thi đua", CHU_TICH_UBND_TINH): "Cờ thi đua của UBND tỉnh",
    ("Cờ thi đua", CHU_TICH_UBND_THANH_PHO): "Cờ thi đua của UBND thành phố",
    ("Giấy khen", CHU_TICH_UBND_HUYEN): "Giấy khen của Chủ tịch UBND cấp huyện",
    ("Giấy khen", CHU_TICH_UBND_XA): "Giấy khen của Chủ tịch UBND cấp xã",
}
_FORM_BY_NAME = {form.name: form for form in _FORMS}


def complete_award(form: AwardForm | None, conferred_by: str | None) -> AwardForm | None:
    """A bare "Bằng khen", "Cờ thi đua" or "Giấy khen" made specific by who conferred it; any other
    form is returned as it is."""
    if form is None or conferred_by is None or form.base not in ("Bằng khen", "Cờ thi đua", "Giấy khen"):
        return form
    name = _COMPLETIONS.get((form.base, conferred_by))
    if name is None and conferred_by.startswith("Bộ trưởng ") and form.base == "Bằng khen":
        name = f"Bằng khen của {conferred_by}"
    if (
        name is None
        and form.base == "Giấy khen"
        and not conferred_by.startswith(("Chủ tịch nước", "Thủ tướng"))
    ):
        name = f"Giấy khen của {conferred_by}"
    if name is None:
        return form
    known = _FORM_BY_NAME.get(name)
    if known is not None:
        return _award_form(known, None)
    return AwardForm(award=name, base=name, rank=None, conferred_by=conferred_by, category=form.category)
