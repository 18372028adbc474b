"""Names of people and bodies as Vietnamese documents write them: the one home of these vocabularies.

Award recipients, signers and movement launchers are all a person or a body, written the same ways:
- a person: optional honorifics or ranks ("Ông", "Đồng chí", "Trung tá", "GS.TS", "em"), then the
  full name, 2–5 capitalised syllables, the first of them a surname in the great majority of cases;
- a body: a head word ("Sở", "Trường", "Công ty", "Nhân dân và cán bộ", "UBND") and the rest of the
  name, often with commas ("Phòng Tổ chức cán bộ, Sở Nội vụ").

Words are compared lower-cased with tone marks kept (`str.lower()`): "tổ" is a team, "tô" a surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.normalize.surnames import SURNAMES
from archive.normalize.text import clean_text

UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
LOWER = "a-zàáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
NAME_WORD = re.compile(rf"^(?:[{UPPER}][{LOWER}]*|[{UPPER}]+)$")  # "Hùng" or, in capitals, "HÙNG"


# Honorifics and ranks that stand before a name and are no part of it. Longest first where one is
# the start of another ("Đại tá" before "Đại"). Matched case-insensitively; the canonical spelling is
# what the archive keeps in `award_recipients.honorific`.
_HONORIFIC_FORMS: list[tuple[str, str | None]] = [
    (r"(?:các\s+)?đồng\s+chí", "Đồng chí"),
    (r"đ/c|đc", "Đồng chí"),
    (r"(?:các\s+)?ông", "Ông"),
    (r"(?:các\s+)?bà", "Bà"),
    (r"(?:các|hai|ba)\s+em|em", "Em"),
    (r"(?:các\s+)?anh", "Anh"),
    (r"(?:các\s+)?chị", "Chị"),
    (r"(?:các\s+|hai\s+)?bạn", "Bạn"),  # news writes "bạn Vũ Văn Hùng, học sinh lớp 9A" for a pupil
    (r"cháu", "Cháu"),
    (r"cụ", "Cụ"),
    (r"mẹ", "Mẹ"),
    (r"thầy\s+giáo|thầy", "Thầy"),
    (r"cô\s+giáo|cô", "Cô"),
    (r"liệt\s+s[ĩỹ]", "Liệt sĩ"),
    (r"bác\s+s[ĩỹ](?:\s+chuyên\s+khoa\s+(?:II|I|cấp\s+II|cấp\s+I))?", "Bác sĩ"),
    (r"d[ưư]ợc\s+s[ĩỹ]", "Dược sĩ"),
    (r"đại\s+tướng|thượng\s+tướng|trung\s+tướng|thiếu\s+tướng", None),
    (r"đại\s+tá|thượng\s+tá|trung\s+tá|thiếu\s+tá", None),
    (
        r"đại\s+úy|thượng\s+úy|trung\s+úy|thiếu\s+úy|chuẩn\s+úy|đại\s+uý|thượng\s+uý|trung\s+uý|thiếu\s+uý",
        None,
    ),
    (r"thượng\s+sĩ|trung\s+sĩ|hạ\s+sĩ|binh\s+nhất|binh\s+nhì", None),
    (r"nghệ\s+sĩ\s+nhân\s+dân|nghệ\s+sĩ\s+ưu\s+tú|nhà\s+giáo\s+nhân\s+dân|nhà\s+giáo\s+ưu\s+tú", None),
    (
        r"thầy\s+thuốc\s+nhân\s+dân|thầy\s+thuốc\s+ưu\s+tú|nghệ\s+nhân\s+ưu\s+tú|nghệ\s+nhân\s+nhân\s+dân",
        None,
    ),
    (r"nsnd|nsưt|ngnd|ngưt|ttnd|ttưt|nnnd|nnưt", None),
    # Degrees and academic titles, dotted or not, alone or joined: "GS.TS.", "PGS. TS", "ThS.BS".
    (r"(?:(?:gs|pgs|tskh|ts|ths|bs|bsck\s*(?:ii|i)|bscki+|ks|cn|ds|ls)\.?\s*){1,3}(?=\s|[A-ZĐ])", None),
]
_HONORIFIC = re.compile(
    r"^\s*((?:(?:" + "|".join(f"(?:{p})" for p, _ in _HONORIFIC_FORMS) + r")\.?,?\s+)+)",
    re.IGNORECASE,
)
_HONORIFIC_PARTS = [(re.compile(rf"^(?:{p})\.?,?\s*", re.IGNORECASE), c) for p, c in _HONORIFIC_FORMS]

# What a position starts with ("Phó Giám đốc", "giáo viên", "nguyên Chủ nhiệm …").
POSITION_HEADS = tuple(
    sorted(
        """
        hiệu trưởng|phó hiệu trưởng|hiệu phó|phó|giám đốc|tổng giám đốc|chủ tịch|trưởng|giáo viên|bí thư
        chuyên viên|nhân viên|kế toán|cán bộ|công chức|viên chức|bác sĩ|bác sỹ|điều dưỡng|y sĩ|y tá|dược sĩ
        hộ sinh|kỹ thuật viên|công nhân|đội trưởng|đội phó|tổ trưởng|tổ phó|thư ký|ủy viên|uỷ viên
        thành viên|hội viên|đoàn viên|đảng viên|chánh|kỹ sư|nông dân|ngư dân|học sinh|sinh viên|thôn trưởng
        trưởng thôn|cựu chiến binh|chỉ huy|chính trị viên|kiểm sát viên|thẩm phán
        phóng viên|biên tập viên|lái xe|bảo vệ|văn thư|giảng viên|nghệ nhân|người|chủ nhiệm|chủ hộ|chủ cơ sở
        chủ doanh nghiệp|doanh nhân|tổng biên tập|chi hội trưởng|trợ lý|quản đốc|cục trưởng|vụ trưởng
        viện trưởng|thứ trưởng|bộ trưởng|chánh án|chánh văn phòng|chánh thanh tra|thanh tra viên|xã viên
        huấn luyện viên|vận động viên|diễn viên|đạo diễn|nhà giáo|chiến sĩ|chiến sỹ|trạm trưởng|quân nhân
        thủ quỹ|kiểm lâm|cảnh sát|điều tra viên|công an viên|dân quân|tình nguyện viên|cộng tác viên
        thợ lò|thợ mỏ|thợ
        """.replace("\n", "|").split("|"),
        key=len,
        reverse=True,
    )
)
POSITION_HEADS = tuple(h.strip() for h in POSITION_HEADS if h.strip())

# What the name of a body starts with (a collective recipient, an issuer, a launcher).
COLLECTIVE_HEADS = tuple(
    sorted(
        {
            h.strip()
            for h in """
            trường|phòng|công ty|tổng công ty|ubnd|ủy ban|uỷ ban|ban|sở|hội|tập thể|xã|phường|thị trấn|huyện
            quận|thị xã|thành phố|tỉnh|chi cục|bệnh viện|trung tâm|đội|tổ|khoa|cục|tổng cục|hợp tác xã|htx
            văn phòng|liên đoàn|liên hiệp|hội liên hiệp|đoàn|báo|đài|nhà máy|chi nhánh|bộ|viện|học viện
            ngân hàng|hội đồng|công an|bộ chỉ huy|bộ tư lệnh|thôn|làng|khu|khu phố|lớp|đảng bộ|chi bộ|đảng ủy
            đảng uỷ|tỉnh ủy|tỉnh uỷ|huyện ủy|huyện uỷ|thành ủy|thành uỷ|trạm|kho bạc|tập đoàn|doanh nghiệp|cụm
            khối|nhân dân|cán bộ và nhân dân|gia đình|hộ|câu lạc bộ|clb|mặt trận|ủy ban mặt trận|cơ quan
            tòa án|toà án|viện kiểm sát|chi hội|hạt|cảng|thư viện|bảo hiểm|cơ sở|tạp chí|nhà văn hóa|mttq
            hđnd|đồn|tiểu đoàn|trung đoàn|sư đoàn|lữ đoàn|đại đội|trung đội|ký túc xá|điện lực|bưu điện
            hạt kiểm lâm|xí nghiệp|công đoàn|chi đoàn|binh chủng|binh đoàn|quân khu|quân chủng|bộ đội
            thanh tra|vụ|ban quản lý|ban chỉ huy|ban chỉ đạo|ban chấp hành|đoàn công tác|nhóm|kíp|ê kíp
            ê-kíp|tàu|lđlđ|ubmttq|hlhpn
            phân xưởng|xưởng|tổ dân phố|ấp|bản|xóm|lực lượng|hải đội|đoàn thanh niên|tỉnh đoàn|thành đoàn
            huyện đoàn|quỹ|nhà xuất bản|nhà hát|đoàn nghệ thuật|ký túc|khách sạn|hãng|siêu thị
            văn phòng đại diện
            """.replace("\n", "|").split("|")
            if h.strip()
        },
        key=len,
        reverse=True,
    )
)
# Heads of bodies that sit inside another one, so that "Phòng Tổ chức cán bộ, Sở Nội vụ" is one name:
# a comma between such a body and a parent-level one does not start a new recipient.
SUB_UNIT_HEADS = frozenset(
    [
        "phòng",
        "ban",
        "tổ",
        "khoa",
        "đội",
        "trạm",
        "chi",
        "cục",
        "trung",
        "tâm",
        "trường",
        "công",
        "ty",
        "xí",
        "nghiệp",
        "nhà",
        "máy",
        "phân",
        "xưởng",
        "xưởng",
        "chi",
        "nhánh",
        "văn",
        "phòng",
        "bộ",
        "phận",
        "thư",
        "viện",
        "cục",
        "vụ",
        "viện",
        "chi",
        "hội",
        "chi",
        "đoàn",
        "chi",
        "bộ",
        "đồn",
        "hạt",
        "tiểu",
        "đoàn",
        "đại",
        "đội",
        "trung",
        "đội",
        "lớp",
    ]
)
SUB_UNIT_HEADS = frozenset({*SUB_UNIT_HEADS, "chi cục", "trung tâm", "công ty", "xí nghiệp", "nhà máy"})
PARENT_HEADS = frozenset(
    {
        "sở",
        "bộ",
        "ủy ban",
        "uỷ ban",
        "ubnd",
        "công an",
        "tổng công ty",
        "tập đoàn",
        "tổng cục",
        "cục",
        "bệnh viện",
        "trường",
        "học viện",
        "viện",
        "đài",
        "báo",
        "văn phòng",
        "bộ chỉ huy",
        "bộ tư lệnh",
        "quân khu",
        "binh đoàn",
        "liên đoàn",
        "hội",
        "trung tâm",
        "ban",
        "đảng ủy",
        "tỉnh ủy",
        "huyện ủy",
        "thành ủy",
        "ngân hàng",
        "kho bạc",
        "điện lực",
        "công ty",
        "hội đồng",
    }
)
# Words of place and unit names that no person's name contains, whatever its case.
NEVER_IN_NAMES = frozenset(
    [
        "xã",
        "huyện",
        "tỉnh",
        "phường",
        "thôn",
        "thcs",
        "thpt",
        "ubnd",
        "tnhh",
        "htx",
        "tp",
        "hđnd",
        "mttq",
        "qđnd",
        "cand",
        "ubmttq",
        "tw",
    ]
)
# Provinces and cities of central rank (before and after the 2025 merger): their names are written
# with every syllable capitalised, which is how capitalised headers are cased back.
PROVINCES = tuple(
    """
    An Giang|Bà Rịa - Vũng Tàu|Bạc Liêu|Bắc Giang|Bắc Kạn|Bắc Ninh|Bến Tre|Bình Dương|Bình Định
    Bình Phước|Bình Thuận|Cà Mau|Cao Bằng|Cần Thơ|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai
    Đồng Tháp|Gia Lai|Hà Giang|Hà Nam|Hà Nội|Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|Hòa Bình|Hưng Yên
    Khánh Hòa|Kiên Giang|Kon Tum|Lai Châu|Lâm Đồng|Lạng Sơn|Lào Cai|Long An|Nam Định|Nghệ An
    Ninh Bình|Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|Quảng Ninh|Quảng Trị
    Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|Thừa Thiên Huế|Tiền Giang|Hồ Chí Minh
    Trà Vinh|Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái|Huế
    """.replace("\n", "|").split("|")
)
PROVINCES = tuple(p.strip() for p in PROVINCES if p.strip())
_PROVINCE_NAMES = frozenset(p.lower() for p in PROVINCES)
# Cities of central rank: their chairman confers "Bằng khen của Chủ tịch UBND thành phố".
CENTRAL_CITIES = frozenset({"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"})


def _starts_with(text: str, heads: tuple[str, ...]) -> str | None:
    lower = text.lower()
    for head in heads:
        if lower == head or lower.startswith(head + " ") or lower.startswith(head + ","):
            return head
    return None


def collective_head(text: str) -> str | None:
    """The head word a body's name starts with ("Sở" in "Sở Nội vụ"), or None."""
    return _starts_with(text.strip(), COLLECTIVE_HEADS)


def starts_with_position(text: str) -> bool:
    """Whether a text starts like a position: "Phó Giám đốc …", "giáo viên …", "nguyên Chủ nhiệm …"
    (only a lower-case "nguyên" means "former": "Nguyên" is a given name)."""
    text = text.strip()
    if text.startswith("nguyên "):
        return True
    return _starts_with(text, POSITION_HEADS) is not None


@dataclass(frozen=True)
class Honorific:
    text: str  # canonical spelling of what stood before the name: "Ông", "Trung tá", "GS.TS"
    rest: str  # the text after it


def split_honorific(text: str) -> Honorific | None:
    """("Trung tá", "Nguyễn Văn An, …") from "Trung tá Nguyễn Văn An, …"; None when there is none.

    Only a word followed by a capitalised one counts ("Bà Lê Thị Hoa", not "bà con"), and stacked
    forms are kept together ("Đồng chí Đại tá …" → "Đồng chí Đại tá").
    """
    text = text.strip()
    match = _HONORIFIC.match(text)
    if not match:
        return None
    rest = text[match.end() :]
    if not rest or not rest[0].isupper():
        return None
    spoken: list[str] = []
    head = match[1]
    while head.strip():
        for pattern, canonical in _HONORIFIC_PARTS:
            part = pattern.match(head.lstrip())
            if part and part.end():
                written = clean_text(part[0].strip(" ,")) or ""
                spoken.append(canonical or _capitalise(written))
                head = head.lstrip()[part.end() :]
                break
        else:
            break
    return Honorific(" ".join(spoken), rest)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def looks_like_name(text: str, *, surname_needed: bool = True) -> bool:
    """2–5 capitalised words in one case and nothing else: "Nguyễn Thị Hồng Nhung", "MAI THỊ LAN".

    The first word must be a known surname unless `surname_needed` is False (a name after an
    honorific or in a name column needs no such check).
    """
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(NAME_WORD.match(word) for word in words):
        return False
    if any(word.lower() in NEVER_IN_NAMES for word in words):  # "ĐOÀN THANH NIÊN XÃ BÌNH NGUYÊN"
        return False
    capitals = {word.isupper() for word in words if len(word) > 1}
    if len(capitals) > 1:  # "MAI THỊ THU LAN Phó" is a name followed by a position
        return False
    if surname_needed and words[0].lower() not in SURNAMES:
        return False
    return " ".join(words).lower() not in _PROVINCE_NAMES  # "Hà Nội", "Thái Bình": places, not people


def leading_name(words: list[str], *, surname_needed: bool = True) -> int:
    """How many leading words are a person's name ("Nguyễn Văn An Hiệu trưởng …" → 3; 0: none)."""
    for size in range(min(5, len(words)), 1, -1):
        if not looks_like_name(" ".join(words[:size]), surname_needed=surname_needed):
            continue
        last_on = " ".join(words[size - 1 :])
        if size < len(words) and (starts_with_position(last_on) or collective_head(last_on)):
            continue  # "Nguyễn Văn An Hiệu" is no name: "Hiệu trưởng" starts a position
        rest = " ".join(words[size:])
        if not rest or not rest[0].isupper() or starts_with_position(rest) or collective_head(rest):
            return size
    return 0


def trailing_name(words: list[str]) -> int:
    """How many trailing words are a person's name, the name last as in "Chủ nhiệm Ủy ban … Trần Văn
    An" (0: none). The first of them must be a known surname: nothing else marks where it starts."""
    for size in range(min(5, len(words) - 1), 1, -1):
        if looks_like_name(" ".join(words[-size:])):
            return size
    return 0


def is_person_entry(text: str) -> bool:
    """Whether an entry of a list names a person (an honorific, or a name first) rather than a body."""
    text = text.strip()
    if split_honorific(text):
        return True
    head = re.split(r",\s|\s[-–]\s|\s\(|;", text, maxsplit=1)[0]
    if head.lower().startswith(DOAN_BODIES):
        return False
    first = head.split(" ", 1)[0].lower() if head else ""
    if first in AMBIGUOUS_SURNAMES and leading_name(head.split()):
        return True
    if collective_head(text):
        return False
    return bool(leading_name(head.split()))


# Surnames that are also heads of bodies: "Đoàn Văn Hùng" is a person, "Đoàn Thanh niên …" a body.
AMBIGUOUS_SURNAMES = frozenset({"đoàn"})
DOAN_BODIES = tuple(
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
        "tncs",
        "ca múa",
    )
)


# Ministries as they are abbreviated in news ("Bộ GD&ĐT"): the key is the folded abbreviation.
MINISTRIES = {
    "gd dt": "Bộ Giáo dục và Đào tạo",
    "gddt": "Bộ Giáo dục và Đào tạo",
    "giao duc va dao tao": "Bộ Giáo dục và Đào tạo",
    "ld tb xh": "Bộ Lao động - Thương binh và Xã hội",
    "ldtbxh": "Bộ Lao động - Thương binh và Xã hội",
    "lao dong thuong binh va xa hoi": "Bộ Lao động - Thương binh và Xã hội",
    "vhttdl": "Bộ Văn hóa, Thể thao và Du lịch",
    "vh tt dl": "Bộ Văn hóa, Thể thao và Du lịch",
    "van hoa the thao va du lich": "Bộ Văn hóa, Thể thao và Du lịch",
    "nn ptnt": "Bộ Nông nghiệp và Phát triển nông thôn",
    "nong nghiep va phat trien nong thon": "Bộ Nông nghiệp và Phát triển nông thôn",
    "nong nghiep va moi truong": "Bộ Nông nghiệp và Môi trường",
    "tn mt": "Bộ Tài nguyên và Môi trường",
    "tai nguyen va moi truong": "Bộ Tài nguyên và Môi trường",
    "kh dt": "Bộ Kế hoạch và Đầu tư",
    "ke hoach va dau tu": "Bộ Kế hoạch và Đầu tư",
    "kh cn": "Bộ Khoa học và Công nghệ",
    "khoa hoc va cong nghe": "Bộ Khoa học và Công nghệ",
    "tt tt": "Bộ Thông tin và Truyền thông",
    "thong tin va truyen thong": "Bộ Thông tin và Truyền thông",
    "gtvt": "Bộ Giao thông vận tải",
    "giao thong van tai": "Bộ Giao thông vận tải",
    "noi vu": "Bộ Nội vụ",
    "cong an": "Bộ Công an",
    "quoc phong": "Bộ Quốc phòng",
    "y te": "Bộ Y tế",
    "tai chinh": "Bộ Tài chính",
    "tu phap": "Bộ Tư pháp",
    "cong thuong": "Bộ Công Thương",
    "xay dung": "Bộ Xây dựng",
    "ngoai giao": "Bộ Ngoại giao",
    "dan toc va ton giao": "Bộ Dân tộc và Tôn giáo",
}


# Names of bodies as they are cased in running text, for casing back a header written in capitals.
BODY_PHRASES = tuple(
    sorted(
        {
            *MINISTRIES.values(),
            *(m.replace("Bộ ", "Sở ", 1) for m in MINISTRIES.values()),
            "Ủy ban nhân dân",
            "Uỷ ban nhân dân",
            "Hội đồng nhân dân",
            "Hội đồng Thi đua - Khen thưởng",
            "Ban Thi đua - Khen thưởng",
            "Thi đua - Khen thưởng",
            "Thủ tướng Chính phủ",
            "Chính phủ",
            "Chủ tịch nước",
            "Quốc hội",
            "Ủy ban Thường vụ Quốc hội",
            "Ban Chấp hành Trung ương",
            "Bộ Chính trị",
            "Ban Bí thư",
            "Ban Thường vụ",
            "Tỉnh ủy",
            "Thành ủy",
            "Huyện ủy",
            "Đảng ủy",
            "Trung ương",
            "Ủy ban Mặt trận Tổ quốc Việt Nam",
            "Mặt trận Tổ quốc Việt Nam",
            "Liên đoàn Lao động",
            "Tổng Liên đoàn Lao động Việt Nam",
            "Hội Liên hiệp Phụ nữ",
            "Hội Cựu chiến binh",
            "Hội Nông dân",
            "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
            "Văn phòng",
            "Việt Nam",
            "Hồ Chí Minh",
            "Nhà nước",
            "Ban Tuyên giáo",
            "Ban Tổ chức",
            "Ban Dân vận",
            "Ban Chỉ đạo",
            "Tiểu ban",
            "Công an",
            "Bộ Chỉ huy Quân sự",
            "Cục Thuế",
            "Kho bạc Nhà nước",
            "Đại hội",
        },
        key=len,
        reverse=True,
    )
)
_PLACE_MARKERS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")


def recase_body(text: str) -> str:
    """A body's name written in capitals, cased as running text writes it:
    "ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN" → "Ủy ban nhân dân tỉnh Phú Yên", "BỘ NỘI VỤ" → "Bộ Nội vụ".

    Known names of bodies keep their own casing; a place after "tỉnh", "huyện", … has every syllable
    capitalised; any other word is lower case, and the first is capitalised.
    """
    words = (clean_text(text) or "").replace("–", "-").replace("—", "-").split()
    if not words:
        return ""
    if not any(w.isupper() and len(w) > 1 for w in words):
        return " ".join(words)
    lower = [w.lower().rstrip(",;") for w in words]
    out: list[str] = []
    i = 0
    in_place = False
    while i < len(words):
        phrase = next(
            (p for p in BODY_PHRASES if lower[i : i + len(p.split())] == p.lower().split()),
            None,
        )
        if phrase is not None and not in_place:
            size = len(phrase.split())
            cased = phrase.split()
            if words[i + size - 1].endswith((",", ";")):
                cased[-1] += words[i + size - 1][-1]
            out.extend(cased)
            i += size
            in_place = phrase in ("Tỉnh ủy", "Thành ủy", "Huyện ủy")  # "Tỉnh ủy Thái Bình"
            continue
        marker = next((m for m in _PLACE_MARKERS if lower[i : i + len(m.split())] == m.split()), None)
        if marker is not None:
            out.extend(marker.split())
            i += len(marker.split())
            in_place = True
            continue
        if words[i - 1 if i else 0].endswith(",") and i:
            in_place = False  # "…, BAN TỔ CHỨC …": a new body after the comma
        word = words[i]
        if (
            any(ch.isdigit() for ch in word)
            or "/" in word
            or (word.isupper() and len(word) <= 5 and _is_acronym(word))
        ):
            out.append(word)
        elif in_place and word not in ("-", "–", "&"):
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
        i += 1
    if out:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


_ACRONYMS = frozenset(
    [
        "UBND",
        "HĐND",
        "MTTQ",
        "TNHH",
        "MTV",
        "TW",
        "HĐTĐKT",
        "BTĐKT",
        "TĐKT",
        "QĐND",
        "CAND",
        "THCS",
        "THPT",
        "TP",
        "TX",
        "CP",
        "HĐQT",
        "CNTT",
        "KT-XH",
    ]
)


def _is_acronym(word: str) -> bool:
    return word.strip(",.;:()") in _ACRONYMS
