"""archive.derive: metadata rows from one page and its files, on saved pages and the replica's own files."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.derive import (
    AttachmentInput,
    Derived,
    PageInput,
    RecipientRecord,
    derive_page,
    html_tables,
)
from archive.extract import extract_file
from archive.normalize.text import fold_key

FILES = Path(__file__).parent / "files" / "awards"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page(**fields: Any) -> PageInput:
    values: dict[str, Any] = {
        "url": "http://127.0.0.1/x/trang-1.html",
        "kind": "news",
        "category": "tin-tuc-su-kien",
        "section": None,
        "title": "",
        "published_at": None,
        "summary": None,
        "body_text": None,
        "body_html": None,
        "metadata": {},
    }
    values.update(fields)
    return PageInput(**values)


# --- legal texts ---------------------------------------------------------------------------------

LEGAL_PAGE = page(
    kind="legal_text",
    category="van-ban-cua-trung-uong",
    title="Thông tư quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
    body_text=(
        "Ngày 15/3/2023, Bộ Nội vụ ban hành Thông tư số 09/2023/TT-BNV.\n\n"
        "Thực hiện Luật Thi đua, khen thưởng số 06/2022/QH15, các cấp đã cụ thể hóa nội dung thi đua."
    ),
    # Labels as editors type them: upper case, trailing colons, a placeholder for an unknown date.
    metadata={
        "SỐ KÝ HIỆU:": "09/2023/TT-BNV",
        "Loại văn bản": "Thông tư",
        "Cơ quan ban hành:": "Bộ Nội vụ",
        "Người ký": "Trương Hải Long",
        "Ngày ban hành": "15/03/2023",
        "Ngày hiệu lực": "Đang cập nhật",
        "Trích yếu": "Quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
    },
)
LEGAL_EXPECTED = {
    "number": "09/2023/TT-BNV",
    "doc_type": "Thông tư",
    "issuer": "Bộ Nội vụ",
    "signer": "Trương Hải Long",
    "issued_on": "2023-03-15",
    "issued_raw": "15/03/2023",
    "effective_on": None,
    "effective_raw": "Đang cập nhật",
    "abstract": "Quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
    "number_year": 2023,
    "type_code": "TT",
    "issuer_code": "BNV",
}


@pytest.mark.parametrize("field", LEGAL_EXPECTED)
def test_legal_text_from_its_labels(field: str) -> None:
    legal = derive_page(LEGAL_PAGE, []).legal
    assert legal is not None
    assert getattr(legal, field) == LEGAL_EXPECTED[field]


def test_legal_text_cites_its_own_number_and_what_its_body_cites() -> None:
    assert derive_page(LEGAL_PAGE, []).citations == ["09/2023/TT-BNV", "06/2022/QH15"]


TITLE_ONLY = page(
    kind="legal_text",
    title=(
        "Quyết định số 2799/QĐ-UBND ngày 21/11/2014 của UBND tỉnh "
        "về việc ban hành Quy chế thi đua, khen thưởng"
    ),
)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("number", "2799/QĐ-UBND"),
        ("doc_type", "Quyết định"),
        ("issued_on", "2014-11-21"),
        ("abstract", "Về việc ban hành Quy chế thi đua, khen thưởng"),
        ("type_code", "QĐ"),
        ("issuer_code", "UBND"),
        ("number_year", None),
    ],
)
def test_legal_text_falls_back_to_its_title(field: str, expected: object) -> None:
    legal = derive_page(TITLE_ONLY, []).legal
    assert legal is not None
    assert getattr(legal, field) == expected


def test_legal_text_falls_back_to_the_attached_files_header() -> None:
    header = "BAN THI ĐUA - KHEN THƯỞNG\nSố: 45/HD-BTĐKT\nThái Bình, ngày 07 tháng 05 năm 2023\nHƯỚNG DẪN"
    attachment = AttachmentInput("http://127.0.0.1/f/hd.pdf", "hd.pdf", "application/pdf", header, [])
    bare = page(kind="legal_text", title="Hướng dẫn công tác khen thưởng năm 2023")
    legal = derive_page(bare, [attachment]).legal
    assert legal is not None
    assert (legal.number, legal.doc_type, legal.issued_on) == ("45/HD-BTĐKT", "Hướng dẫn", "2023-05-07")


@pytest.mark.parametrize("kind", ["news", "notice", "award_decision", "movement"])
def test_only_legal_texts_get_a_legal_row(kind: str) -> None:
    other = page(kind=kind, title="Quyết định số 12/QĐ-UBND về việc công khai dự toán")
    assert derive_page(other, []).legal is None


# --- award decisions -----------------------------------------------------------------------------

BK = "Bằng khen của Chủ tịch UBND tỉnh"
AWARD_PAGE = page(
    kind="award_decision",
    category="quyet-dinh-cua-chu-tich-ubnd-tinh",
    title=f"Quyết định số 1751/QĐ-UBND của Chủ tịch UBND tỉnh về việc tặng {BK}",
    summary="Ngày 15/06/2023, Chủ tịch UBND tỉnh ký Quyết định số 1751/QĐ-UBND về việc tặng Bằng khen.",
    body_text=(
        f"Theo Quyết định số 1751/QĐ-UBND ngày 15/6/2023, 2 tập thể và 3 cá nhân được tặng {BK}.\n\n"
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ."
    ),
    body_html=(FILES / "decision-1751-qd-ubnd.html").read_text(encoding="utf-8"),
    metadata={
        "Số quyết định": "1751/QĐ-UBND",
        "Ngày ký": "15/06/2023",
        "Hình thức khen thưởng": BK,
        "Cấp khen thưởng": "Chủ tịch UBND tỉnh",
    },
)
AWARD_EXPECTED = {
    "decision_number": "1751/QĐ-UBND",
    "decided_on": "2023-06-15",
    "decided_raw": "15/06/2023",
    "award": BK,
    "award_rank": None,
    "conferred_by": "Chủ tịch UBND tỉnh",
    "collectives": 2,
    "individuals": 3,
}
AWARD_RECIPIENTS = [
    ("Trường THCS Nam Cao", "collective", None, None),
    ("UBND xã Vũ Hội, huyện Vũ Thư", "collective", None, None),
    ("Nguyễn Văn Hùng", "individual", "Trường THCS Nam Cao", "Hiệu trưởng"),
    ("BÙI THỊ THU HƯƠNG", "individual", "UBND xã Vũ Hội, huyện Vũ Thư", "Phó Chủ tịch UBND xã"),
    ("Đoàn Mạnh Quyết", "individual", "Công an huyện Vũ Thư", "Đội trưởng"),
]


@pytest.mark.parametrize("field", AWARD_EXPECTED)
def test_award_decision_fields(field: str) -> None:
    (award,) = derive_page(AWARD_PAGE, []).awards
    assert getattr(award, field) == AWARD_EXPECTED[field]


def test_award_recipients_from_the_saved_pages_table() -> None:
    (award,) = derive_page(AWARD_PAGE, []).awards
    assert award.recipients == [
        RecipientRecord(name, fold_key(name), kind, unit, position, BK, "html")
        for name, kind, unit, position in AWARD_RECIPIENTS
    ]


def test_award_decision_does_not_cite_itself() -> None:
    assert derive_page(AWARD_PAGE, []).citations == ["91/2017/NĐ-CP"]


def test_award_without_labels_reads_title_summary_and_file_tables() -> None:
    bare = page(
        kind="award_decision",
        title="3 tập thể, cá nhân được tặng danh hiệu Cờ thi đua của Chính phủ năm 2024",
        summary=(
            "Ngày 21/12/2024, Thủ tướng Chính phủ ký Quyết định số 2997/QĐ-TTg "
            "về việc tặng danh hiệu Cờ thi đua của Chính phủ."
        ),
    )
    table = [
        ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"],
        ["1", "Trường THCS Nam Cao", "", ""],
        ["2", "TRƯỜNG MẦM NON NAM THỊNH", "", ""],
        ["3", "Công an huyện Kiến Xương", "", ""],
    ]
    attachment = AttachmentInput("http://127.0.0.1/Uploads/qd.docx", "QD 2997.docx", DOCX_TYPE, "…", [table])
    (award,) = derive_page(bare, [attachment]).awards
    assert (award.decision_number, award.decided_on, award.award, award.conferred_by) == (
        "2997/QĐ-TTg",
        "2024-12-21",
        "Cờ thi đua của Chính phủ",
        "Thủ tướng Chính phủ",  # who decided (QĐ-TTg), not the Chính phủ the award's name implies
    )
    assert [(r.name, r.source) for r in award.recipients] == [
        ("Trường THCS Nam Cao", "docx"),
        ("TRƯỜNG MẦM NON NAM THỊNH", "docx"),
        ("Công an huyện Kiến Xương", "docx"),
    ]
    assert (award.collectives, award.individuals) == (3, 0)


def test_award_without_a_list_keeps_the_counts_its_text_states() -> None:
    stated = page(
        kind="award_decision",
        title="Quyết định số 747/QĐ-CTN về việc tặng thưởng Huân chương Lao động hạng Ba",
        body_text=(
            "Theo Quyết định số 747/QĐ-CTN ngày 3/9/2024, 4 tập thể và 11 cá nhân được tặng thưởng "
            "Huân chương Lao động hạng Ba."
        ),
    )
    (award,) = derive_page(stated, []).awards
    assert (award.award, award.award_rank, award.conferred_by) == (
        "Huân chương Lao động hạng Ba",
        3,
        "Chủ tịch nước",
    )
    assert (award.decided_on, award.collectives, award.individuals, award.recipients) == (
        "2024-09-03",
        4,
        11,
        [],
    )


def test_same_recipient_in_page_and_file_is_kept_once() -> None:
    table = [
        ["STT", "Họ và tên", "Chức vụ", "Đơn vị"],
        ["1", "Nguyễn Văn Hùng", "Hiệu trưởng", "Trường THCS Nam Cao"],
    ]
    attachment = AttachmentInput("http://127.0.0.1/f/qd.pdf", "qd.pdf", "application/pdf", None, [table])
    (award,) = derive_page(AWARD_PAGE, [attachment]).awards
    assert [r.source for r in award.recipients if r.name == "Nguyễn Văn Hùng"] == ["html"]


def test_nested_tables_are_read_on_their_own() -> None:
    html = "<table><tr><td>a</td><td><table><tr><td>b</td></tr></table></td></tr></table>"
    assert html_tables(html) == [[["a", "b"]], [["b"]]]


# --- movements -----------------------------------------------------------------------------------


def test_movement_page() -> None:
    movement_page = page(
        kind="movement",
        title="Kế hoạch tổ chức phong trào thi đua “Dân vận khéo” giai đoạn 2024-2026",
        summary=(
            "Ngày 5/3/2024, Ban Thường vụ Tỉnh ủy phát động phong trào thi đua “Dân vận khéo” "
            "giai đoạn 2024-2026."
        ),
        body_text="Phong trào nhằm huy động 120 cơ quan, đơn vị tham gia.",
    )
    derived = derive_page(movement_page, [])
    assert [vars(m) for m in derived.movements] == [
        {
            "name": "Dân vận khéo",
            "name_key": "dan van kheo",
            "launched_on": "2024-03-05",
            "launched_by": "Ban Thường vụ Tỉnh ủy",
            "period_start": 2024,
            "period_end": 2026,
        }
    ]
    assert (derived.legal, derived.awards, derived.citations) == (None, [], [])


# --- the replica: rendered page parts and real files, compared with its ground truth -------------

Sample = list[tuple[dict[str, Any], Derived]]


@pytest.fixture(scope="module")
def replica_derived(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """A sample of replica items of every kind, derived from the parts the replica renders."""
    from replica.render import make_theme
    from replica.site import build_site

    site = build_site()
    theme = make_theme("classic", site)
    truth = {item["url"]: item for item in site.ground_truth()["items"]}
    folder = tmp_path_factory.mktemp("replica-files")
    sample: list[Any] = []
    for kind, count in [("legal_text", 8), ("movement", 8), ("news", 12), ("notice", 4), ("video", 4)]:
        sample += [it for it in site.model.items if it.kind == kind][:count]
    for source in ("html", "docx", "pdf"):
        sample += [it for it in site.model.items if it.recipients and it.recipients[0].source == source][:3]
    out = []
    for it in sample:
        metadata = dict(it.label_rows())
        attachments = []
        for n, a in enumerate(it.attachments if it.award or it.legal else []):
            path = folder / f"{it.index}-{n}.{a.filename.rsplit('.', 1)[-1]}"
            path.write_bytes(site.attachment_bytes(a.spec))
            got = extract_file(path, filename=a.filename, content_type=a.content_type)
            attachments.append(AttachmentInput(a.url, a.filename, a.content_type, got.text, got.tables))
        rendered = page(
            kind=it.kind,
            category=it.category,
            title=it.title,
            summary=it.summary,
            body_text="\n\n".join(it.paragraphs),
            body_html=theme.body(it),
            metadata=metadata,
        )
        out.append((truth[it.url], derive_page(rendered, attachments)))
    return out


def nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def test_replica_legal_texts_match_ground_truth(replica_derived: Sample) -> None:
    compared = [(t, d) for t, d in replica_derived if t["legal"]]
    assert compared
    for truth, derived in compared:
        assert derived.legal is not None
        expected = {k: nfc(v) for k, v in truth["legal"].items()}
        assert {k: getattr(derived.legal, k) for k in expected} == expected


def test_replica_awards_and_recipients_match_ground_truth(replica_derived: Sample) -> None:
    compared = [(t, d) for t, d in replica_derived if t["award"]]
    assert {r["source"] for t, _ in compared for r in t["award"]["recipients"]} == {"html", "docx", "pdf"}
    fields = ("name", "kind", "unit", "position", "award", "source")
    for truth, derived in compared:
        (award,) = derived.awards
        expected = {k: nfc(v) for k, v in truth["award"].items() if k != "recipients"}
        assert {k: getattr(award, k) for k in expected} == expected
        assert [tuple(getattr(r, f) for f in fields) for r in award.recipients] == [
            tuple(nfc(r[f]) for f in fields) for r in truth["award"]["recipients"]
        ]


def test_replica_movements_match_ground_truth(replica_derived: Sample) -> None:
    fields = ("name", "launched_on", "launched_by", "period_start", "period_end")
    assert any(t["movements"] for t, _ in replica_derived)
    for truth, derived in replica_derived:
        assert [tuple(getattr(m, f) for f in fields) for m in derived.movements] == [
            tuple(nfc(m[f]) for f in fields) for m in truth["movements"]
        ]


def test_replica_citations_match_ground_truth(replica_derived: Sample) -> None:
    for truth, derived in replica_derived:
        assert set(derived.citations) == {nfc(n) for n in truth["cites"]}


PIECES = [
    "Quyết định số ",
    "163/QĐ-UBND",
    " ngày ",
    "21/11/2014",
    "“",
    "”",
    '"',
    "phát động phong trào thi đua ",
    "Huân chương Lao động hạng Ba",
    "Bằng khen",
    " tập thể và ",
    "3",
    " cá nhân",
    "\n",
    ", ",
    "I. TẬP THỂ",
    "1. Ông Nguyễn Văn An, Hiệu trưởng Trường THCS Nam Cao",
    "<table><tr><td>",
    "</td></tr></table>",
    "STT",
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["legal_text", "award_decision", "movement", "news"]),
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.dictionaries(
        st.sampled_from(["Số ký hiệu", "Ngày ký", "Hình thức", "Trích yếu"]), st.sampled_from(PIECES)
    ),
)
def test_derive_page_never_raises_on_odd_pages(
    kind: str, pieces: list[str], metadata: dict[str, str]
) -> None:
    text = "".join(pieces)
    derived = derive_page(
        page(kind=kind, title=text[:200], body_text=text, body_html=text, metadata=metadata), []
    )
    assert (derived.legal is not None) == (kind == "legal_text")
    assert len(derived.awards) == (kind == "award_decision")
