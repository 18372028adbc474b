"""Award forms of the 2022 law (reference §4) and the recipients listed in award decisions.

Free text ("HCLĐ hạng Ba", "BK TTCP", "Cờ thi đua của UBND tỉnh") is matched on a folded key after
abbreviation expansion, longest form first (§4.5). Recipients come from decision tables (HTML, DOCX,
XLSX) or from numbered lines of a PDF text layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from archive.normalize.text import clean_text, fold_key

CHU_TICH_NUOC = "Chủ tịch nước"
THU_TUONG = "Thủ tướng Chính phủ"
CHINH_PHU = "Chính phủ"
CHU_TICH_UBND_TINH = "Chủ tịch UBND tỉnh"

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
    add("Bằng khen của Bộ trưởng Bộ Nội vụ", "bang_khen", "Bộ trưởng Bộ Nội vụ", "Bằng khen của Bộ Nội vụ")
    add("Bằng khen", "bang_khen", None)
    add("Giấy khen của Giám đốc Sở Nội vụ", "giay_khen", "Giám đốc Sở Nội vụ")
    add(
        "Giấy khen của Chủ tịch UBND cấp huyện",
        "giay_khen",
        "Chủ tịch UBND cấp huyện",
        "Giấy khen của Chủ tịch UBND huyện",
    )
    add(
        "Giấy khen của Chủ tịch UBND cấp xã",
        "giay_khen",
        "Chủ tịch UBND cấp xã",
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
        forms.append(_award_form(form, _RANK_VALUES[rank_match[1]] if rank_match else None))
    return forms


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
# Recipients


@dataclass
class Recipient:
    name: str
    kind: str  # "collective" | "individual"
    unit: str | None
    position: str | None
    award: str | None  # canonical, or None when the list does not say


# Words a collective's name starts with (NFC, lower-case, accents kept: "tổ" is a team, "tô" a surname).
_COLLECTIVE_HEADS = tuple(
    sorted(
        {
            "trường",
            "phòng",
            "công ty",
            "tổng công ty",
            "ubnd",
            "ủy ban",
            "uỷ ban",
            "ban",
            "sở",
            "hội",
            "tập thể",
            "xã",
            "phường",
            "thị trấn",
            "huyện",
            "thành phố",
            "chi cục",
            "bệnh viện",
            "trung tâm",
            "đội",
            "tổ",
            "khoa",
            "cục",
            "hợp tác xã",
            "htx",
            "văn phòng",
            "liên đoàn",
            "đoàn",
            "báo",
            "đài",
            "nhà máy",
            "chi nhánh",
            "bộ",
            "viện",
            "học viện",
            "ngân hàng",
            "hội đồng",
            "công an",
            "bộ chỉ huy",
            "thôn",
            "làng",
            "khu",
            "lớp",
            "đảng bộ",
            "chi bộ",
            "đảng ủy",
            "đảng uỷ",
            "tỉnh ủy",
            "huyện ủy",
            "trạm",
            "kho bạc",
            "tập đoàn",
            "doanh nghiệp",
            "cụm",
            "khối",
            "nhân dân",
            "gia đình",
            "hộ",
            "câu lạc bộ",
            "clb",
            "mặt trận",
            "ủy ban mặt trận",
            "cơ quan",
            "tòa án",
            "viện kiểm sát",
            "chi hội",
            "hạt",
            "cảng",
            "thư viện",
            "bảo hiểm",
            "cơ sở",
            "tạp chí",
            "nhà văn hóa",
            "mttq",
            "hđnd",
            "đồn",
            "tiểu đoàn",
            "trung đoàn",
            "sư đoàn",
            "lữ đoàn",
            "ký túc xá",
            "điện lực",
            "bưu điện",
            "hạt kiểm lâm",
            "xí nghiệp",
        },
        key=len,
        reverse=True,
    )
)
# Surnames that are also collective heads: "Đoàn Văn Hùng" is a person, "Đoàn Thanh niên …" a body.
_AMBIGUOUS_SURNAMES = {"đoàn"}
_DOAN_BODIES = tuple(
    f"đoàn {rest} "
    for rest in (
        "thanh niên",
        "kiểm tra",
        "công tác",
        "đại biểu",
        "nghệ thuật",
        "luật sư",
        "khối",
        "cơ sở",
        "xã",
    )
)
_HONORIFICS = re.compile(
    r"^(?:(?:ông|bà|đồng chí|đ/c|đc|anh|chị|thầy|cô|cụ|cháu|em|liệt sĩ|liệt sỹ)\.?\s+)+(?=[A-ZÀ-ỸĐ])",
    re.IGNORECASE,
)
_UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
_NAME_WORD = re.compile(rf"^(?:[{_UPPER}][a-zà-ỹđ]*|[{_UPPER}]+)$")  # "Hùng" or, in capitals, "HÙNG"


def _starts_with_head(text: str) -> bool:
    lower = text.lower()
    return any(lower == head or lower.startswith(head + " ") for head in _COLLECTIVE_HEADS)


def strip_honorific(name: str) -> str:
    return _HONORIFICS.sub("", name.strip()).strip()


# Words of place and unit names that no person's name contains, whatever its case.
_NEVER_IN_NAMES = {"xã", "huyện", "tỉnh", "phường", "thôn", "thcs", "thpt", "ubnd", "tnhh", "htx", "tp"}


def looks_like_person(name: str) -> bool:
    """2–5 capitalised words, nothing else: "Nguyễn Thị Hồng Nhung", or all in capitals: "MAI THỊ LAN"."""
    words = strip_honorific(name).split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD.match(word) for word in words):
        return False
    if any(word.lower() in _NEVER_IN_NAMES for word in words):  # "ĐOÀN THANH NIÊN XÃ BÌNH NGUYÊN"
        return False
    # A name is typed in one case: "MAI THỊ THU LAN Phó" is a name followed by a position.
    capitals = {word.isupper() for word in words if len(word) > 1}
    return len(capitals) <= 1


_POSITION_HEADS = (
    "hiệu trưởng",
    "hiệu phó",
    "phó",
    "giám đốc",
    "chủ tịch",
    "trưởng",
    "giáo viên",
    "bí thư",
    "chuyên viên",
    "nhân viên",
    "kế toán",
    "cán bộ",
    "công chức",
    "viên chức",
    "bác sĩ",
    "bác sỹ",
    "điều dưỡng",
    "y sĩ",
    "công nhân",
    "đội trưởng",
    "tổ trưởng",
    "thư ký",
    "ủy viên",
    "uỷ viên",
    "thành viên",
    "hội viên",
    "chánh",
    "kỹ sư",
    "nông dân",
    "học sinh",
    "sinh viên",
    "thôn trưởng",
    "cựu chiến binh",
    "đảng viên",
    "tổng giám đốc",
    "thiếu",
    "trung",
    "thượng",
    "đại",
    "chỉ huy",
    "kiểm sát viên",
    "thẩm phán",
    "phóng viên",
    "biên tập viên",
    "lái xe",
    "bảo vệ",
    "văn thư",
    "giảng viên",
    "nghệ nhân",
    "người",
    "chủ nhiệm",
    "chủ hộ",
    "tổng biên tập",
    "chi hội trưởng",
    "trợ lý",
    "quản đốc",
    "nguyên",
)


def _starts_with_position(text: str) -> bool:
    lower = text.lower()
    return any(lower == head or lower.startswith(head + " ") for head in _POSITION_HEADS)


def _leading_name(words: list[str]) -> int:
    """How many leading words of "Nguyễn Văn An Hiệu trưởng …" are the name (0: none)."""
    if 2 <= len(words) <= 5 and looks_like_person(" ".join(words)):
        return len(words)
    # The name ends where a position begins ("Hiệu trưởng", "Giáo viên"), which is capitalised too.
    for size in range(min(5, len(words) - 1), 1, -1):
        rest = " ".join(words[size:])
        if rest[0].isupper() and looks_like_person(" ".join(words[:size])) and _starts_with_position(rest):
            return size
    return 0


def _head_segment(text: str) -> str:
    return re.split(r", | - | – |; ", text, maxsplit=1)[0]


def guess_kind(name: str) -> str | None:
    """collective | individual from the shape of a name; None when neither shape fits."""
    if _HONORIFICS.match(name.strip()):
        return "individual"
    bare = strip_honorific(name)
    head = _head_segment(bare)
    first = bare.split(" ", 1)[0].lower() if bare else ""
    if bare.lower().startswith(_DOAN_BODIES):
        return "collective"
    if first in _AMBIGUOUS_SURNAMES and (looks_like_person(head) or _leading_name(head.split())):
        return "individual"
    if _starts_with_head(bare):
        return "collective"
    if looks_like_person(head) or _leading_name(head.split()):
        return "individual"
    return None


def _unit_start(text: str) -> int | None:
    """Where a unit's name begins inside "Hiệu trưởng Trường THCS Nam Cao": a capitalised head word."""
    for match in re.finditer(r"(?:^|(?<=\s))\S", text):
        start = match.start()
        if text[start].isupper() and _starts_with_head(text[start:]):
            return start
    return None


def split_position_unit(text: str | None) -> tuple[str | None, str | None]:
    """("Hiệu trưởng", "Trường THCS Nam Cao") from "Hiệu trưởng Trường THCS Nam Cao"."""
    text = (clean_text(text) or "").strip(" ,;-–")
    if not text:
        return None, None
    head, sep, tail = text.partition(", ")
    if sep and not _starts_with_head(head) and _starts_with_head(tail):
        return head, tail
    start = _unit_start(text)
    if start is None:
        return text, None
    if start == 0:
        return None, text
    return text[:start].strip(" ,;-–") or None, text[start:].strip(" ,;-–") or None


def split_entry(text: str, kind: str | None) -> tuple[str, str | None, str | None]:
    """Name, position and unit from one line: "Ông Nguyễn Văn An, Hiệu trưởng Trường THCS Nam Cao"."""
    text = clean_text(text) or ""
    for separator in (", ", " - ", " – "):
        head, sep, tail = text.partition(separator)
        if sep and looks_like_person(head) and kind != "collective":
            position, unit = split_position_unit(tail)
            return strip_honorific(head), position, unit
    if kind != "collective":
        words = strip_honorific(text).split()
        size = _leading_name(words)
        if 0 < size < len(words):
            position, unit = split_position_unit(" ".join(words[size:]))
            return " ".join(words[:size]), position, unit
    return strip_honorific(text), None, None


# Header cells → roles. Keys are folded.
_HEADER_ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    (
        "award",
        (
            "hinh thuc khen thuong",
            "hinh thuc",
            "danh hieu",
            "hinh thuc de nghi",
            "danh hieu thi dua",
            "hinh thuc khen thuong danh hieu",
        ),
    ),
    ("position", ("chuc vu", "chuc danh", "chuc vu chuc danh")),
    (
        "unit",
        (
            "don vi",
            "don vi cong tac",
            "noi cong tac",
            "co quan don vi",
            "co quan cong tac",
            "dia chi",
            "don vi dia chi",
            "thuoc don vi",
            "co quan",
        ),
    ),
    ("kind", ("loai", "doi tuong", "tap the ca nhan doi tuong")),
    ("note", ("ghi chu",)),
    (
        "name",
        (
            "ho va ten",
            "ho ten",
            "ten tap the",
            "ten don vi",
            "ten tap the ca nhan",
            "tap the ca nhan",
            "ten",
            "ho va ten tap the",
            "ten tap the hoac ca nhan",
            "ho va ten chuc vu don vi",
            "ho ten chuc vu don vi",
            "ho va ten chuc vu don vi cong tac",
            "ten tap the ca nhan duoc khen thuong",
            "ten co quan don vi",
        ),
    ),
]
# Accents kept: "Cộng: 12" is a total row, "Công ty …" a recipient.
_TOTAL = re.compile(r"^(?:tổng cộng|tổng số|cộng|tổng)(?:\s*[:(\d]|\s*$)")
_STT = re.compile(r"^\s*[0-9]{1,4}\s*[.)]?\s*$")


def _role_of(cell: str) -> str | None:
    key = fold_key(cell)
    if not key:
        return None
    for role, names in _HEADER_ROLES:
        if key in names:
            return role
    if key.startswith(("ho va ten", "ho ten", "ten tap the", "ten don vi")):
        return "name"
    if key.startswith("hinh thuc"):
        return "award"
    return None


def _header_roles(row: list[str]) -> dict[int, str] | None:
    roles = {i: role for i, cell in enumerate(row) if (role := _role_of(cell))}
    return roles if "name" in roles.values() and len(roles) >= 2 else None


_SECTION_TEXT = re.compile(
    r"^\s*(?:([IVXLC]+|[A-Da-d])\s*[.):/-]?\s+)?(tập thể|cá nhân)\s*[:.]?\s*(.*)$", re.IGNORECASE
)


def _section(cells: list[str]) -> tuple[str | None, str | None] | None:
    """(kind, award) when a row is a section heading ("I. TẬP THỂ", "Tặng Bằng khen cho cá nhân")."""
    filled = list(dict.fromkeys(c.strip() for c in cells if c.strip()))  # merged cells repeat their text
    if not filled or len(filled) > 2:
        return None
    if len(filled) == 2 and not re.fullmatch(r"[IVXLC]+|[A-Da-d]|[IVXLC]+\.|[A-Da-d][.)]", filled[0]):
        return None
    text = " ".join(filled)
    match = _SECTION_TEXT.match(text)
    # "Tập thể Phòng Nội vụ" is a recipient, "TẬP THỂ" / "Tập thể lao động xuất sắc" are headings.
    if match and not match[1] and match[3][:1].isupper() and not match[2].isupper():
        match = None
    kind = None
    if match:
        kind = "collective" if fold_key(match[2]) == "tap the" else "individual"
    award = canonical_award(text)
    if match or (award and not looks_like_person(text) and not _starts_with_head(text)):
        return kind, award.award if award else None
    return None


def _kind_from_cell(cell: str) -> str | None:
    key = fold_key(cell)
    if key.startswith("tap the"):
        return "collective"
    if key.startswith("ca nhan"):
        return "individual"
    return None


def _recipient(
    name_cell: str, *, kind: str | None, unit: str | None, position: str | None, award: str | None
) -> Recipient | None:
    name_cell = clean_text(name_cell) or ""
    if not name_cell or _TOTAL.match(name_cell.lower()) or _STT.match(name_cell):
        return None
    guessed = guess_kind(name_cell) if kind is None else kind
    name, split_position, split_unit = split_entry(name_cell, guessed)
    if guessed is None:
        guessed = guess_kind(name) or ("individual" if looks_like_person(name) else "collective")
    return Recipient(
        name=name,
        kind=guessed,
        unit=clean_text(unit) or split_unit,
        position=clean_text(position) or split_position,
        award=award,
    )


def recipients_from_table(rows: list[list[str]], *, default_award: str | None) -> list[Recipient]:
    """The recipients a decision's table lists, with section rows ("I. TẬP THỂ") setting the kind."""
    rows = [[clean_text(c) or "" for c in row] for row in rows]
    roles: dict[int, str] | None = None
    body_start = 0
    for i, row in enumerate(rows[:6]):
        roles = _header_roles(row)
        if roles:
            body_start = i + 1
            break
    kind: str | None = None
    award = default_award
    recipients: list[Recipient] = []
    for row in rows[body_start:]:
        if not any(row):
            continue
        section = _section(row)
        if section:
            kind = section[0] or kind
            award = section[1] or award
            continue
        cells = {role: row[i] for i, role in roles.items() if i < len(row)} if roles else _guess_roles(row)
        name_cell = cells.get("name", "")
        row_award = canonical_award(cells["award"]) if cells.get("award") else None
        row_kind = _kind_from_cell(cells["kind"]) if cells.get("kind") else None
        recipient = _recipient(
            name_cell,
            kind=row_kind or kind,
            unit=cells.get("unit"),
            position=cells.get("position"),
            award=row_award.award if row_award else award,
        )
        if recipient:
            recipients.append(recipient)
    return recipients


def _guess_roles(row: list[str]) -> dict[str, str]:
    """Roles for a headerless row: [STT], name, then position/unit or an award cell."""
    cells = list(row)
    roles: dict[str, str] = {}
    if cells and _STT.match(cells[0] or "x"):
        cells = cells[1:]
    if not cells:
        return roles
    roles["name"] = cells[0]
    rest = []
    for cell in cells[1:]:
        if not cell:
            continue
        if "award" not in roles and canonical_award(cell) and not _starts_with_head(cell):
            roles["award"] = cell
        else:
            rest.append(cell)
    if len(rest) == 1:
        position, unit = split_position_unit(rest[0])
        if position:
            roles["position"] = position
        if unit:
            roles["unit"] = unit
    elif len(rest) >= 2:
        roles["position"], roles["unit"] = rest[0], ", ".join(rest[1:])
    return roles


_NUMBERED_LINE = re.compile(r"^\s*(\d{1,4})\s*[.)/]\s*(\S.*)$")


_FLAT_ROW = re.compile(r"^\s*(\d{1,4})\s+(\S.*)$")
_FLAT_HEADER = re.compile(r"^\s*(?:STT|TT)\s+(?:Họ|Tên|Tập thể)", re.IGNORECASE)


def recipients_from_text(text: str | None, *, default_award: str | None) -> list[Recipient]:
    """Recipients from numbered lines of a text layer ("1. Ông Nguyễn Văn An, Hiệu trưởng …").

    Section lines ("I. TẬP THỂ", "II. CÁ NHÂN") set the kind; an award named in a section line
    applies to the lines under it. Below a flattened table header ("STT Họ và tên …"), rows that
    pypdf ran together ("4 Mai Hồng Thủy Bí thư Chi bộ Ban Chỉ huy …") count too; wrapped cells
    are lost there, which is why `archive.extract` rebuilds PDF tables from text positions.
    """
    if not text:
        return []
    kind: str | None = None
    award = default_award
    in_flat_table = False
    recipients: list[Recipient] = []
    for raw_line in text.splitlines():
        line = clean_text(raw_line) or ""
        if not line:
            continue
        if _FLAT_HEADER.match(line):
            in_flat_table = True
            continue
        numbered = _NUMBERED_LINE.match(line) or (_FLAT_ROW.match(line) if in_flat_table else None)
        if not numbered:
            section = _section([line])
            if section and len(line) < 160:
                kind = section[0] or kind
                award = section[1] or award
            continue
        recipient = _recipient(numbered[2].rstrip(" .;"), kind=kind, unit=None, position=None, award=award)
        if recipient:
            recipients.append(recipient)
    return recipients
