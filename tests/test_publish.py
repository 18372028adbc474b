"""The published archive, tested against a real Datasette on a small archive written by the store.

The archive's content below is this module's ground truth: every expected answer is computed from it
in Python (search through an independent model of FTS5's unicode61 tokenizer), never copied from a run.
"""

from __future__ import annotations

import gzip
import html
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from lxml import etree

from archive.defaults import SITE_HOST_NAMES
from archive.derive import AwardRecord, Derived, LegalRecord, MovementRecord, RecipientRecord
from archive.normalize.text import fold_for_search, fold_key
from archive.publish import (
    MAX_RETURNED_ROWS,
    SQL_TIME_LIMIT_MS,
    build_metadata,
    database_name,
    datasette_command,
    free_port,
    running_datasette,
    serve,
)
from archive.store import ArchiveStore
from archive.warc import WarcRecorder
from scraper.items import AttachmentItem, CategoryItem, ImageItem, PageItem
from tests.conftest import querying_section

REPO = Path(__file__).resolve().parent.parent
BASE = "https://tdkt.thaibinh.gov.vn"
FIRST_CRAWL = "2026-01-10T02:00:00+00:00"
RECRAWL = "2026-02-01T02:00:00+00:00"
CHANGED_SINCE = "2026-01-15"
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Recipient:
    name: str
    kind: str
    position: str | None
    unit: str | None


@dataclass
class AwardFact:
    decision_number: str
    decided_on: str
    award: str
    award_rank: int | None
    conferred_by: str
    recipients: list[Recipient]


@dataclass
class Item:
    slug: str
    site_id: int
    category: str
    kind: str
    title: str
    published_at: str
    summary: str
    body_text: str
    legal: dict[str, Any] | None = None
    awards: list[AwardFact] = field(default_factory=list)
    movements: list[dict[str, Any]] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (file name, content type, size)
    pending_files: list[str] = field(default_factory=list)
    # Images of the article: (path as the body writes it, relative to the page, archived or not).
    images: list[tuple[str, bool]] = field(default_factory=list)
    links_to: list[int] = field(default_factory=list)  # indexes of ITEMS the body links to
    hostile: bool = False  # the body carries a script and an event handler, as a row another path wrote

    @property
    def url(self) -> str:
        return f"{BASE}/{self.category}/{self.slug}-{self.site_id}.html"

    @property
    def shared_url(self) -> str:
        """How another article links it: the site's other host name over http, the slug of an earlier
        title, a share tracker and a fragment; the same item all the same (archive.site.item_key)."""
        return (
            f"http://{SITE_HOST_NAMES[1]}/{self.category}/ban-tin-cu-{self.site_id}.html?utm_source=zalo#top"
        )

    @property
    def body_html(self) -> str:
        rows = "".join(
            f"<tr><td>{r.name}</td><td>{r.unit or ''}</td></tr>" for a in self.awards for r in a.recipients
        )
        table = f"<table><tr><th>Họ và tên</th><th>Đơn vị</th></tr>{rows}</table>" if rows else ""
        images = "".join(
            f'<p><img src="{path}" alt="Ảnh {n}"></p>' for n, (path, _) in enumerate(self.images)
        )
        links = "".join(f'<p><a href="{ITEMS[n].shared_url}">{ITEMS[n].title}</a></p>' for n in self.links_to)
        files = "".join(
            f'<p><a href="/Uploads/files/{name}">Tải về {name}</a></p>' for name, _, _ in self.files
        )
        hostile = (
            '<script>document.title = "hacked"</script><p onclick="alert(1)">Bấm</p>' if self.hostile else ""
        )
        return f"<p>{self.body_text}</p>{table}{images}{links}{files}{hostile}"

    def image_url(self, path: str) -> str:
        return urljoin(self.url, path)


AN = Recipient("Nguyễn Văn An", "individual", "Hiệu trưởng", "Trường THCS Nam Cao")
ITEMS: list[Item] = [
    Item(
        "hoi-nghi-tong-ket-cong-tac-thi-dua-khen-thuong-nam-2023",
        4101,
        "tin-tuc-su-kien",
        "news",
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2023",
        "2024-01-12T08:30:00+07:00",
        "Sáng 12/1, Hội đồng Thi đua - Khen thưởng tỉnh tổ chức hội nghị tổng kết.",
        "Hội nghị đánh giá phong trào thi đua “Thái Bình chung sức xây dựng nông thôn mới” và việc thi "
        "hành Luật Thi đua, khen thưởng số 06/2022/QH15. Chủ tịch UBND tỉnh trao Bằng khen cho các tập thể.",
        movements=[
            {
                "name": "Thái Bình chung sức xây dựng nông thôn mới",
                "launched_on": None,
                "launched_by": None,
                "period_start": None,
                "period_end": None,
            }
        ],
        cites=["06/2022/QH15"],
        images=[
            ("/Uploads/images/hoi-nghi-tong-ket.png", True),
            ("../anh/chua-luu.jpg", False),
            # At the site's other host name with a share tracker: archived under its canonical address.
            (f"http://{SITE_HOST_NAMES[1]}/Uploads/images/trao-tang.png?utm_source=zalo", True),
        ],
        links_to=[4],
        hostile=True,
    ),
    Item(
        "cum-thi-dua-dong-bang-song-hong-ky-giao-uoc-thi-dua-nam-2024",
        4117,
        "hoat-dong-cum-thi-dua-dong-bang-song-hong",
        "news",
        "Cụm thi đua Đồng bằng sông Hồng ký giao ước thi đua năm 2024",
        "2024-03-20",
        "Các tỉnh trong Cụm thi đua Đồng bằng sông Hồng ký kết giao ước thi đua.",
        "Thái Bình giữ vai trò Cụm trưởng năm 2024, chủ trì hội nghị tại thành phố Thái Bình.",
    ),
    Item(
        "thong-bao-lich-xet-khen-thuong-huan-chuong-lao-dong",
        4205,
        "thong-bao",
        "notice",
        "Thông báo lịch xét khen thưởng Huân chương Lao động đợt 2",
        "2024-05-06",
        "Ban Thi đua - Khen thưởng thông báo lịch họp Hội đồng xét khen thưởng.",
        "Đề nghị các sở, ngành gửi hồ sơ trước ngày 20/5/2024.",
        files=[
            (
                "lich-xet-khen-thuong.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                1500,
            )
        ],
    ),
    Item(
        "thong-bao-tiep-nhan-ho-so-de-nghi-khen-thuong-nam-hoc-2022-2023",
        4188,
        "thong-bao",
        "notice",
        "Thông báo tiếp nhận hồ sơ đề nghị khen thưởng năm học 2022-2023",
        "2023-06-01",
        "Tiếp nhận hồ sơ khen thưởng ngành giáo dục.",
        "Hồ sơ gửi về Ban Thi đua - Khen thưởng, Sở Nội vụ.",
        pending_files=["mau-to-trinh.doc"],
    ),
    Item(
        "luat-thi-dua-khen-thuong-so-06-2022-qh15",
        3001,
        "van-ban-cua-trung-uong",
        "legal_text",
        "Luật Thi đua, khen thưởng số 06/2022/QH15",
        "2022-06-15",
        "Luật Thi đua, khen thưởng năm 2022.",
        "Luật này quy định về đối tượng, nguyên tắc, nội dung thi đua, khen thưởng.",
        legal={
            "number": "06/2022/QH15",
            "doc_type": "Luật",
            "issuer": "Quốc hội",
            "signer": "Vương Đình Huệ",
            "issued_on": "2022-06-15",
            "issued_raw": "15/06/2022",
            "effective_on": "2024-01-01",
            "effective_raw": "01/01/2024",
            "abstract": "Luật Thi đua, khen thưởng",
            "number_year": 2022,
            "type_code": None,
            "issuer_code": "QH15",
        },
        files=[("luat-06-2022-qh15.pdf", "application/pdf", 12000)],
    ),
    Item(
        "quyet-dinh-ban-hanh-quy-dinh-ve-cong-tac-thi-dua-khen-thuong",
        3050,
        "van-ban-cua-ubnd-tinh",
        "legal_text",
        "Quyết định số 31/2024/QĐ-UBND ban hành Quy định về công tác thi đua, khen thưởng trên địa bàn tỉnh",
        "2024-08-01",
        "Quy định về công tác thi đua, khen thưởng trên địa bàn tỉnh Thái Bình.",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 98/2023/NĐ-CP của Chính phủ.",
        legal={
            "number": "31/2024/QĐ-UBND",
            "doc_type": "Quyết định",
            "issuer": "UBND tỉnh Thái Bình",
            "signer": "Nguyễn Khắc Thận",
            "issued_on": "2024-07-30",
            "issued_raw": "30/07/2024",
            "effective_on": "2024-08-10",
            "effective_raw": "10/08/2024",
            "abstract": "Ban hành Quy định về công tác thi đua, khen thưởng",
            "number_year": 2024,
            "type_code": "QĐ",
            "issuer_code": "UBND",
        },
        cites=["06/2022/QH15", "98/2023/NĐ-CP"],
    ),
    Item(
        "quyet-dinh-tang-bang-khen-cua-chu-tich-ubnd-tinh",
        5163,
        "quyet-dinh-cua-chu-tich-ubnd-tinh",
        "award_decision",
        "Quyết định số 163/QĐ-UBND tặng Bằng khen của Chủ tịch UBND tỉnh",
        "2023-02-10",
        "Tặng Bằng khen của Chủ tịch UBND tỉnh cho 1 tập thể và 2 cá nhân.",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15, tặng Bằng khen của Chủ tịch UBND tỉnh.",
        awards=[
            AwardFact(
                "163/QĐ-UBND",
                "2023-02-09",
                "Bằng khen của Chủ tịch UBND tỉnh",
                None,
                "Chủ tịch UBND tỉnh",
                [
                    AN,
                    Recipient(
                        "Trần Thị Bình", "individual", "Phó Trưởng phòng", "Phòng Nội vụ huyện Hưng Hà"
                    ),
                    Recipient("Trường THCS Nam Cao", "collective", None, "huyện Kiến Xương"),
                ],
            )
        ],
        cites=["06/2022/QH15"],
        files=[
            (
                "QD-163-UBND.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                2048,
            )
        ],
    ),
    Item(
        "quyet-dinh-tang-huan-chuong-lao-dong-hang-ba",
        5234,
        "quyet-dinh-cua-chu-tich-nuoc",
        "award_decision",
        "Quyết định số 1234/QĐ-CTN tặng Huân chương Lao động hạng Ba",
        "2024-05-20",
        "Chủ tịch nước tặng Huân chương Lao động hạng Ba.",
        "Tặng Huân chương Lao động hạng Ba cho cá nhân và tập thể có thành tích xuất sắc.",
        awards=[
            AwardFact(
                "1234/QĐ-CTN",
                "2024-05-15",
                "Huân chương Lao động hạng Ba",
                3,
                "Chủ tịch nước",
                [
                    Recipient("NGUYỄN VĂN AN", "individual", "Hiệu trưởng", "Trường THCS Nam Cao"),
                    Recipient("Công ty Cổ phần Đồng Tiến", "collective", None, "huyện Đông Hưng"),
                ],
            )
        ],
        files=[("QD-1234-CTN.pdf", "application/pdf", 5000)],
    ),
    Item(
        "quyet-dinh-tang-bang-khen-cua-thu-tuong-chinh-phu",
        5456,
        "quyet-dinh-cua-thu-tuong-chinh-phu",
        "award_decision",
        "Quyết định số 456/QĐ-TTg tặng Bằng khen của Thủ tướng Chính phủ",
        "2023-11-02",
        "Thủ tướng Chính phủ tặng Bằng khen.",
        "Tặng Bằng khen của Thủ tướng Chính phủ cho ông Đỗ Đức Dũng, Chủ tịch UBND xã Đông Hợp.",
        awards=[
            AwardFact(
                "456/QĐ-TTg",
                "2023-10-30",
                "Bằng khen của Thủ tướng Chính phủ",
                None,
                "Thủ tướng Chính phủ",
                [Recipient("Đỗ Đức Dũng", "individual", "Chủ tịch", "UBND xã Đông Hợp")],
            )
        ],
    ),
    Item(
        "quyet-dinh-tang-danh-hieu-chien-si-thi-dua-cap-tinh",
        5279,
        "quyet-dinh-cua-chu-tich-ubnd-tinh",
        "award_decision",
        "Quyết định số 2799/QĐ-UBND tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
        "2023-12-05",
        "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh.",
        "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh cho các cá nhân.",
        awards=[
            AwardFact(
                "2799/QĐ-UBND",
                "2023-12-01",
                "Chiến sĩ thi đua cấp tỉnh",
                None,
                "Chủ tịch UBND tỉnh",
                [
                    Recipient("Nguyen  Van An", "individual", "Hiệu trưởng", "Trường THCS Nam Cao"),
                    Recipient("Đỗ Đức Dũng", "individual", "Chủ tịch", "UBND xã Đông Hợp"),
                ],
            )
        ],
    ),
    Item(
        "ubnd-tinh-phat-dong-phong-trao-thi-dua-thai-binh-chung-suc-xay-dung-nong-thon-moi",
        6010,
        "tinh-phat-dong",
        "movement",
        "UBND tỉnh phát động phong trào thi đua “Thái Bình chung sức xây dựng nông thôn mới”",
        "2021-03-05",
        "Phát động phong trào thi đua giai đoạn 2021-2025.",
        "Ngày 01/3/2021, UBND tỉnh phát động phong trào thi đua “Thái Bình chung sức xây dựng nông thôn "
        "mới” giai đoạn 2021-2025.",
        movements=[
            {
                "name": "Thái Bình chung sức xây dựng nông thôn mới",
                "launched_on": "2021-03-01",
                "launched_by": "UBND tỉnh",
                "period_start": 2021,
                "period_end": 2025,
            }
        ],
    ),
    Item(
        "thu-tuong-phat-dong-phong-trao-thi-dua-ca-nuoc-chung-tay-vi-nguoi-ngheo",
        6020,
        "trung-uong-phat-dong",
        "movement",
        "Thủ tướng phát động phong trào thi đua “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại "
        "phía sau”",
        "2021-05-10",
        "Phong trào thi đua giai đoạn 2021-2025.",
        "Ngày 01/5/2021, Thủ tướng Chính phủ phát động phong trào thi đua “Cả nước chung tay vì người nghèo "
        "- Không để ai bị bỏ lại phía sau”.",
        movements=[
            {
                "name": "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
                "launched_on": "2021-05-01",
                "launched_by": "Thủ tướng Chính phủ",
                "period_start": 2021,
                "period_end": 2025,
            }
        ],
    ),
    Item(
        "guong-sang-nguoi-nong-dan-trong-dua-o-tien-hai",
        4300,
        "guong-dien-hinh-tien-tien",
        "news",
        "Gương sáng người nông dân trồng dừa ở Tiền Hải",
        "2022-09-09",
        "Ông Phạm Văn Đông trồng dừa và nuôi ong, là điển hình tiên tiến của huyện Tiền Hải.",
        "Mô hình trồng dừa, nuôi ong cho thu nhập cao; ông được tặng Giấy khen.",
    ),
    Item(
        "ubnd-tinh-phat-dong-lai-phong-trao-ca-nuoc-chung-tay-vi-nguoi-ngheo",
        6031,
        "tinh-phat-dong",
        "movement",
        "UBND tỉnh phát động lại phong trào thi đua “Cả nước chung tay vì người nghèo”",
        "2023-04-12",
        "Phát động lại phong trào trên địa bàn tỉnh; nhắc lại phong trào văn hoá công sở phát động năm 2019.",
        "Ngày 10/4/2023, UBND tỉnh phát động lại phong trào thi đua “Cả nước chung tay vì người nghèo - "
        "Không để ai bị bỏ lại phía sau” giai đoạn 2023-2025. Ngày 03/6/2019, Sở Nội vụ phát động phong "
        "trào thi đua thực hiện văn hoá công sở.",
        movements=[
            {
                "name": "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
                "launched_on": "2023-04-10",
                "launched_by": "UBND tỉnh",
                "period_start": 2023,
                "period_end": 2025,
            },
            {
                "name": "Thi đua thực hiện văn hoá công sở",
                "launched_on": "2019-06-03",
                "launched_by": "Sở Nội vụ",
                "period_start": None,
                "period_end": None,
            },
        ],
    ),
]
CHANGED_ITEM = 2  # re-crawled with a new summary after CHANGED_SINCE
REMOVED_ITEM = 3  # gone from the site at the re-crawl


# The text the extraction step read from each downloaded file: (text, text_method, OCR confidence).
FILE_TEXTS: dict[str, tuple[str, str, float | None]] = {
    "QD-163-UBND.docx": (
        "Danh sách tập thể, cá nhân được tặng Bằng khen: Trường THCS Nam Cao; ông Nguyễn Văn An, Hiệu "
        "trưởng; bà Trần Thị Bình, Phó Trưởng phòng. Biên bản kiểm phiếu của Hội đồng kèm theo.",
        "layer",
        None,
    ),
    "QD-1234-CTN.pdf": (
        "Chủ tịch nước tặng Huân chương Lao động hạng Ba cho Công ty Cổ phần Đồng Tiến, huyện Đông Hưng.",
        "ocr",
        81.5,
    ),
    "luat-06-2022-qh15.pdf": (
        "Luật này quy định về đối tượng, nguyên tắc thi đua và khen thưởng.",
        "layer",
        None,
    ),
}
FILE_ONLY_WORDS = "biên bản kiểm phiếu"  # in a file's text and in no page


def file_body(name: str, size: int) -> bytes:
    return (name.encode() * size)[:size]


def png_bytes(rgb: tuple[int, int, int], side: int = 24) -> bytes:
    """A real PNG image of one colour: made here, so no picture is copied from anywhere."""
    raw = b"".join(b"\x00" + bytes(rgb) * side for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def captured_html(item: Item) -> bytes:
    """The page as the site served it: the site's own script, stylesheet and banner around the article."""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{item.title}</title>'
        f'<link rel="stylesheet" href="{BASE}/css/site.css"><script src="{BASE}/js/site.js"></script></head>'
        f'<body><img src="{BASE}/Uploads/banner.jpg" alt="banner"><h1>{item.title}</h1>{item.body_html}'
        '<script>document.title = "đã chạy";</script></body></html>'
    ).encode()


GZIPPED_CAPTURE = 6  # this item's capture was served gzipped (Content-Encoding), as many sites do


def build_archive(db_path: Path) -> None:
    """Write ITEMS through the store, as a crawl and its enrich step would, then re-crawl once.

    Images and files are downloaded through the store as the crawl downloads them; every page's capture
    goes through the real WARC recorder.
    """
    store = ArchiveStore(db_path)
    try:
        run_id = store.start_run(BASE, "full")
        warc = WarcRecorder(store, run_id)
        for category in sorted({(i.category, i.kind) for i in ITEMS}):
            store.save_category(
                CategoryItem(category[0], category[0], None, f"{BASE}/{category[0]}", category[1])
            )
        for n, item in enumerate(ITEMS):
            store.save_page(page_item(item, FIRST_CRAWL), run_id)
            body = captured_html(item)
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if n == GZIPPED_CAPTURE:
                body, headers = gzip.compress(body), [*headers, ("Content-Encoding", "gzip")]
            warc.record(
                url=item.url,
                method="GET",
                request_headers=[],
                status=200,
                reason="OK",
                response_headers=headers,
                body=body,
            )
            for name, content_type, size in item.files:
                store.save_attachment(
                    AttachmentItem(
                        item.url,
                        f"{BASE}/Uploads/files/{name}",
                        name,
                        content_type,
                        body=file_body(name, size),
                        fetched_at=FIRST_CRAWL,
                    ),
                    run_id,
                )
        for attachment_id, _path, _type, filename in store.attachments_to_extract():
            text, _, _ = FILE_TEXTS.get(filename or "", (None, None, None))
            store.save_attachment_text(attachment_id, text, [], None if text else "no text layer")
        mark_text_methods(db_path)
        save_images(store, run_id)
        for page_id in store.pages_to_derive():
            page, _files = store.load_for_derive(page_id)
            store.save_derived(page_id, derived_for(next(i for i in ITEMS if i.url == page["url"])))
        warc.close()
        store.finish_run(run_id, "done")

        run_id = store.start_run(BASE, "incremental")
        warc = WarcRecorder(store, run_id)
        # An unchanged page fetched again: its capture is a revisit record pointing at the first one.
        warc.record(
            url=ITEMS[0].url,
            method="GET",
            request_headers=[],
            status=200,
            reason="OK",
            response_headers=[("Content-Type", "text/html; charset=utf-8")],
            body=captured_html(ITEMS[0]),
        )
        # The changed page fetched from the site's other host name: still the same item's capture.
        warc.record(
            url=ITEMS[CHANGED_ITEM].url.replace(BASE, f"http://{SITE_HOST_NAMES[1]}"),
            method="GET",
            request_headers=[],
            status=200,
            reason="OK",
            response_headers=[("Content-Type", "text/html; charset=utf-8")],
            body=captured_html(ITEMS[CHANGED_ITEM]).replace(
                b"</h1>", "</h1><p>Lịch họp đã được điều chỉnh.</p>".encode()
            ),
        )
        warc.close()
        changed = page_item(ITEMS[CHANGED_ITEM], RECRAWL)
        changed.summary = (changed.summary or "") + " Lịch họp đã được điều chỉnh."
        store.save_page(changed, run_id)
        store.mark_removed(ITEMS[REMOVED_ITEM].url, run_id, 404)
        store.finish_run(run_id, "done")
    finally:
        store.close()


def mark_text_methods(db_path: Path) -> None:
    """How each text was read, as the extraction step records it (text_method, ocr_confidence)."""
    with sqlite3.connect(db_path) as conn:
        for name, (_, method, confidence) in FILE_TEXTS.items():
            engine = "tesseract 5.3.0 vie" if method == "ocr" else None
            conn.execute(
                "update attachments set text_method = ?, ocr_confidence = ?, ocr_engine = ? "
                "where filename = ?",
                (method, confidence, engine, name),
            )


def save_images(store: ArchiveStore, run_id: int) -> None:
    """The images the crawl downloads, through the store: every article's image row is registered by
    `save_page`; those marked archived get their bytes (a real PNG each), the others stay pending."""
    for item in ITEMS:
        for n, (path, archived) in enumerate(item.images):
            if archived:
                store.save_image(
                    ImageItem(
                        item.url,
                        item.image_url(path),
                        "image/png",
                        png_bytes((140, 28 + 40 * n, 19)),
                        FIRST_CRAWL,
                    ),
                    run_id,
                )


def page_item(item: Item, fetched_at: str) -> PageItem:
    files = [(f"{BASE}/Uploads/files/{name}", "Tải về") for name, _, _ in item.files]
    files += [(f"{BASE}/Uploads/files/{name}", "Tải về") for name in item.pending_files]
    return PageItem(
        url=item.url,
        category=item.category,
        kind=item.kind,
        title=item.title,
        site_id=item.site_id,
        published_raw=item.published_at,
        published_at=item.published_at,
        summary=item.summary,
        body_text=item.body_text,
        body_html=item.body_html,
        attachment_urls=files,
        images=[item.image_url(path) for path, _ in item.images],
        fetched_at=fetched_at,
    )


def derived_for(item: Item) -> Derived:
    """The derive step's output for one item, as this module's ground truth states it."""
    awards = [
        AwardRecord(
            decision_number=a.decision_number,
            decided_on=a.decided_on,
            decided_raw=a.decided_on,
            award=a.award,
            award_rank=a.award_rank,
            conferred_by=a.conferred_by,
            collectives=sum(r.kind == "collective" for r in a.recipients),
            individuals=sum(r.kind == "individual" for r in a.recipients),
            recipients=[
                RecipientRecord(
                    name=r.name,
                    name_key=fold_key(r.name),
                    kind=r.kind,
                    unit=r.unit,
                    position=r.position,
                    award=None,
                    source="html",
                )
                for r in a.recipients
            ],
        )
        for a in item.awards
    ]
    movements = [MovementRecord(**m, name_key=fold_key(m["name"])) for m in item.movements]
    return Derived(
        legal=LegalRecord(**item.legal) if item.legal else None,
        awards=awards,
        movements=movements,
        citations=item.cites,
    )


# -- an independent model of what FTS5 unicode61 remove_diacritics 2 does -------------------------


def fts_tokens(text: str | None) -> set[str]:
    """Lower case, every combining mark dropped (đ has none, so it stays), split on non-alphanumerics."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", (text or "").lower()) if not unicodedata.combining(c)
    )
    return set(re.findall(r"[^\W_]+", bare))


def expected_search(query: str, items: list[Item]) -> set[str]:
    """URLs whose title, summary or body hold every query word, in the original or the đ→d copy."""
    words = fts_tokens(query)
    found = set()
    for item in items:
        texts = (item.title, item.summary, item.body_text)
        tokens = set().union(*(fts_tokens(t) | fts_tokens(fold_for_search(t)) for t in texts))
        if words <= tokens:
            found.add(item.url)
    return found


def current_items() -> list[Item]:
    """The items as the archive holds them after the re-crawl (the changed summary included)."""
    items = [Item(**vars(i)) for i in ITEMS]
    items[CHANGED_ITEM].summary += " Lịch họp đã được điều chỉnh."
    return items


def accented_words(items: list[Item]) -> list[str]:
    """Distinct words with diacritics or đ from the titles, in order of first appearance."""
    words: dict[str, None] = {}
    for item in items:
        for word in re.findall(r"[^\W\d_]+", item.title):
            if fold_key(word) != word.lower():
                words.setdefault(word, None)
    return list(words)


# -- the server -----------------------------------------------------------------------------------


@dataclass
class Site:
    base_url: str
    db: str
    db_path: Path
    client: httpx.Client

    def rows(self, path: str, **params: Any) -> list[dict[str, Any]]:
        response = self.client.get(f"/{self.db}/{path}.json", params={"_shape": "array", **params})
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()
        return rows

    def search_urls(self, table_query: str) -> set[str]:
        return {row["url"] for row in self.rows("pages", _search=table_query, _size="max", _col="url")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    db_path = tmp_path_factory.mktemp("publish") / "tdkt-small.sqlite"
    build_archive(db_path)
    with running_datasette(db_path) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        yield Site(base_url, database_name(db_path), db_path, client)


# -- (a) search with and without diacritics -------------------------------------------------------


def test_search_pairs_from_the_titles_find_the_same_items(site: Site) -> None:
    items = current_items()
    pairs = [(fold_key(w), w) for w in accented_words(items)]
    pairs += [
        ("thi dua", "thi đua"),
        ("dong bang", "Đồng bằng"),
        ("DONG BANG SONG HONG", "đồng bằng sông Hồng"),
    ]
    same = 0
    for plain, accented in pairs:
        plain_urls, accented_urls = site.search_urls(plain), site.search_urls(accented)
        assert plain_urls == expected_search(plain, items), plain
        assert accented_urls == expected_search(accented, items), accented
        assert accented_urls <= plain_urls, (plain, accented)
        same += plain_urls == accented_urls
    assert len(pairs) >= 20 and same >= 20, (len(pairs), same)


@pytest.mark.parametrize(("plain", "accented"), [("thi dua", "thi đua"), ("dong bang", "Đồng bằng")])
def test_d_words_are_found_without_the_stroke(site: Site, plain: str, accented: str) -> None:
    found = site.search_urls(plain)
    assert found and found == site.search_urls(accented)


def test_unaccented_search_is_wider_only_where_words_really_fold_together(site: Site) -> None:
    # "dua" is both "đua" (to compete) and "dừa" (coconut): only the folded query reaches the coconut.
    assert ITEMS[12].url in site.search_urls("trong dua")
    assert ITEMS[12].url not in site.search_urls("trồng đua")


@pytest.mark.parametrize(
    ("table", "query", "expected"),
    [
        ("award_recipients", "nguyen van an", 3),
        ("award_recipients", "Đỗ Đức Dũng", 2),
        ("award_recipients", "do duc dung", 2),
        ("awards", "huan chuong lao dong", 1),
        ("awards", "thu tuong", 1),
        ("legal_documents", "quoc hoi", 1),
        ("legal_documents", "QĐ-UBND", 1),
    ],
)
def test_search_box_on_the_metadata_tables(site: Site, table: str, query: str, expected: int) -> None:
    assert len(site.rows(table, _search=query)) == expected


def test_ranked_search_puts_title_matches_first(site: Site) -> None:
    rows = site.rows("search", q="Huân chương Lao động")
    assert rows[0]["url"] == ITEMS[7].url
    assert {r["url"] for r in rows} == expected_search("Huân chương Lao động", current_items())
    assert site.rows("search", q="") == []


def test_search_box_is_on_the_pages_table(site: Site) -> None:
    html = site.client.get(f"/{site.db}/pages", params={"_search": "thi dua"}).text
    assert 'name="_search"' in html and "thi dua" in html


# -- (b) canned queries ---------------------------------------------------------------------------


def all_awards() -> list[tuple[Item, AwardFact]]:
    return [(item, award) for item in ITEMS for award in item.awards]


def test_there_are_at_least_eight_documented_canned_queries() -> None:
    queries = build_metadata(Path("archive.sqlite"))["databases"]["archive"]["queries"]
    assert len(queries) >= 8
    for name, query in queries.items():
        assert query.get("title") and (query.get("description") or query.get("description_html")), name


def test_awards_by_year_and_type(site: Site) -> None:
    expected = Counter((a.decided_on[:4], a.award) for _, a in all_awards())
    rows = site.rows("awards_by_year_and_type")
    assert {(r["year"], r["award"]): r["awards"] for r in rows} == expected
    people = {(r["year"], r["award"]): (r["collectives"], r["individuals"]) for r in rows}
    for _, award in all_awards():
        kinds = Counter(r.kind for r in award.recipients)
        assert people[(award.decided_on[:4], award.award)] == (kinds["collective"], kinds["individual"])
    only_2024 = site.rows("awards_by_year_and_type", year="2024")
    assert {r["award"] for r in only_2024} == {a.award for _, a in all_awards() if a.decided_on[:4] == "2024"}


@pytest.mark.parametrize("spelling", ["Nguyễn Văn An", "nguyen van an", "NGUYỄN  VĂN AN", "Nguyễn Văn Án"])
def test_recipient_history_ignores_diacritics_case_and_spacing(site: Site, spelling: str) -> None:
    expected = sorted(
        (a.decided_on, a.decision_number)
        for _, a in all_awards()
        for r in a.recipients
        if fold_key(r.name) == fold_key(AN.name)
    )
    rows = site.rows("recipient_history", name=spelling)
    assert [(r["decided_on"], r["decision_number"]) for r in rows] == expected
    assert len(expected) == 3


def test_recipient_history_of_a_name_with_d_stroke(site: Site) -> None:
    rows = site.rows("recipient_history", name="do duc dung")
    assert [r["award"] for r in rows] == ["Bằng khen của Thủ tướng Chính phủ", "Chiến sĩ thi đua cấp tỉnh"]


@pytest.mark.parametrize(
    ("authority", "expected"),
    [
        ("thu tuong", {"Thủ tướng Chính phủ"}),
        ("Chủ tịch UBND tỉnh", {"Chủ tịch UBND tỉnh"}),
        ("chu tich", {"Chủ tịch UBND tỉnh", "Chủ tịch nước"}),
        ("", None),
    ],
)
def test_decisions_by_authority(site: Site, authority: str, expected: set[str] | None) -> None:
    wanted = {a.decision_number for _, a in all_awards() if expected is None or a.conferred_by in expected}
    rows = site.rows("decisions_by_authority", authority=authority)
    assert {r["decision_number"] for r in rows} == wanted
    assert all(r["url"].startswith(BASE) for r in rows)


def launches(since: str = "") -> list[tuple[str, str, str]]:
    """(launched_on, folded name, launched_by) of every launch ITEMS state, in the timeline's order."""
    found = {
        (m["launched_on"], fold_key(m["name"]), m["launched_by"])
        for item in ITEMS
        for m in item.movements
        if m["launched_on"] and m["launched_on"] >= since
    }
    return sorted(found)


@pytest.mark.parametrize("since", ["", "2020", "2021-05-01", "2023"])
def test_movements_timeline_lists_every_launch_and_relaunch_with_its_launcher(site: Site, since: str) -> None:
    rows = site.rows("movements_timeline", since=since)
    assert [(r["launched_on"], fold_key(r["name"]), r["launched_by"]) for r in rows] == launches(since)
    mentions: dict[str, set[str]] = defaultdict(set)
    for item in ITEMS:
        for movement in item.movements:
            mentions[fold_key(movement["name"])].add(item.url)
    for row in rows:
        assert row["mentions"] == len(mentions[fold_key(row["name"])]), row["name"]
        stating = [
            i
            for i in ITEMS
            for m in i.movements
            if (m["launched_on"], m["launched_by"]) == (row["launched_on"], row["launched_by"])
            and fold_key(m["name"]) == fold_key(row["name"])
        ]
        assert row["pages"] == len(stating) and row["url"] in {i.url for i in stating}
    # The relaunch by another body is its own row, as is the first launch.
    poor = fold_key("Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau")
    if not since:
        assert [(r["launched_on"], r["launched_by"]) for r in rows if fold_key(r["name"]) == poor] == [
            ("2021-05-01", "Thủ tướng Chính phủ"),
            ("2023-04-10", "UBND tỉnh"),
        ]


def test_latest_notices_leave_out_removed_pages(site: Site) -> None:
    rows = site.rows("latest_notices")
    expected = [i.url for i in ITEMS if i.kind == "notice" and i is not ITEMS[REMOVED_ITEM]]
    assert [r["url"] for r in rows] == expected


@pytest.mark.parametrize("spelling", ["06/2022/QH15", "06/2022/qh15", "06-2022-QH15"])
def test_documents_citing_a_number(site: Site, spelling: str) -> None:
    rows = site.rows("documents_citing", number=spelling)
    assert {r["citing_url"] for r in rows} == {i.url for i in ITEMS if "06/2022/QH15" in i.cites}
    law = next(i for i in ITEMS if i.legal and i.legal["number"] == "06/2022/QH15")
    assert {r["cited_url"] for r in rows} == {law.url}
    numbers = {r["citing_url"]: r["citing_number"] for r in rows}
    assert numbers[ITEMS[5].url] == "31/2024/QĐ-UBND"


def test_documents_citing_a_number_the_archive_does_not_hold(site: Site) -> None:
    rows = site.rows("documents_citing", number="98/2023/ND-CP")
    assert [(r["citing_url"], r["cited_url"]) for r in rows] == [(ITEMS[5].url, None)]


def test_changed_since(site: Site) -> None:
    rows = site.rows("changed_since", since=CHANGED_SINCE)
    assert {r["url"] for r in rows} == {ITEMS[CHANGED_ITEM].url, ITEMS[REMOVED_ITEM].url}
    versions = {r["url"]: r["versions"] for r in rows}
    assert versions[ITEMS[CHANGED_ITEM].url] == 2
    everything = site.rows("changed_since", since="2000-01-01")
    assert len(everything) == len(ITEMS)


def test_attachments_by_type(site: Site) -> None:
    files = [(name.rsplit(".", 1)[1], size) for i in ITEMS for name, _, size in i.files]
    pending = [name.rsplit(".", 1)[1] for i in ITEMS for name in i.pending_files]
    rows = {r["extension"]: r for r in site.rows("attachments_by_type")}
    for ext in {e for e, _ in files} | set(pending):
        sizes = [s for e, s in files if e == ext]
        assert rows[ext]["files"] == len(sizes) + pending.count(ext)
        assert rows[ext]["pending"] == pending.count(ext)
        assert (rows[ext]["total_bytes"] or 0) == sum(sizes)
        assert rows[ext]["largest_bytes"] == (max(sizes) if sizes else None)


def test_largest_attachments(site: Site) -> None:
    sizes = sorted((size for i in ITEMS for _, _, size in i.files), reverse=True)
    assert [r["bytes"] for r in site.rows("largest_attachments")][: len(sizes)] == sizes
    assert [r["bytes"] for r in site.rows("largest_attachments", extension=".PDF")] == [12000, 5000]


def test_items_per_month(site: Site) -> None:
    expected = Counter((i.published_at[:7], i.kind) for i in ITEMS)
    assert {(r["month"], r["kind"]): r["items"] for r in site.rows("items_per_month")} == expected


def test_every_canned_query_runs(site: Site) -> None:
    queries = build_metadata(site.db_path)["databases"][site.db]["queries"]
    for name in queries:
        response = site.client.get(f"/{site.db}/{name}.json", params={"_shape": "objects"})
        assert response.status_code == 200, (name, response.text[:500])
        page = site.client.get(f"/{site.db}/{name}")
        assert page.status_code == 200 and queries[name]["title"] in html.unescape(page.text)


def test_chart_links_point_at_vega_and_its_assets_load(site: Site) -> None:
    page = site.client.get(f"/{site.db}/awards_by_year_and_type").text
    assert "awards_by_year_and_type#g.mark=bar&g.x_column=year" in page
    scripts = re.findall(r'src="(/-/static-plugins/datasette_vega/[^"]+\.js)"', page)
    assert scripts and all(site.client.get(s).status_code == 200 for s in scripts)


# -- (c) feeds ------------------------------------------------------------------------------------


def parse_feed(body: bytes) -> etree._Element:
    feed = etree.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    return feed


def check_entry(entry: etree._Element) -> None:
    for name in ("id", "title", "updated"):
        assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
    assert entry.find(f"{ATOM}link").get("href", "").startswith(BASE)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", entry.findtext(f"{ATOM}updated"))


# -- rendering ------------------------------------------------------------------------------------


def test_datasette_shows_archived_html_as_text_and_links_to_the_reading_room(site: Site) -> None:
    page = site.rows("pages", url=ITEMS[0].url)[0]
    row_html = site.client.get(f"/{site.db}/pages/{page['id']}").text
    assert "&lt;script&gt;document.title" in row_html  # the stored markup, escaped
    assert "<script>document.title" not in row_html
    assert f'href="/item/{page["id"]}"' in row_html
    version_html = site.client.get(f"/{site.db}/page_versions", params={"page_id": page["id"]}).text
    assert "<script>document.title" not in version_html


# -- (d) read-only and limits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "delete from pages",
        "update pages set title = 'x'",
        "insert into citations (page_id, cited_number) values (1, 'x')",
        "drop table pages",
        "select 1; delete from pages",
        "pragma journal_mode=delete",
        "attach database ':memory:' as other",
        "with x as (select 1) delete from pages",
    ],
)
def test_writes_through_the_sql_api_are_refused(site: Site, sql: str) -> None:
    before = site.rows("pages", _size="max", _col="title")
    for method in ("GET", "POST"):
        response = site.client.request(method, f"/{site.db}.json", params={"sql": sql})
        assert response.status_code >= 400
    assert site.rows("pages", _size="max", _col="title") == before
    with sqlite3.connect(site.db_path) as conn:
        assert conn.execute("select count(*) from pages").fetchone()[0] == len(ITEMS)


def test_no_write_permissions_for_anyone(site: Site) -> None:
    actor = site.client.get("/-/actor.json").json()
    assert actor == {"actor": None}
    for path in (f"/{site.db}/pages/-/insert", f"/{site.db}/-/create", f"/{site.db}/pages/1/-/delete"):
        assert site.client.post(path, json={"row": {"title": "x"}}).status_code >= 400


def test_limits_are_set(site: Site) -> None:
    settings = site.client.get("/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == SQL_TIME_LIMIT_MS
    assert settings["max_returned_rows"] == MAX_RETURNED_ROWS
    slow = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    response = site.client.get(f"/{site.db}.json", params={"sql": slow})
    assert response.status_code == 400 and "interrupted" in response.text.lower()


def test_served_mutable_without_root(site: Site) -> None:
    databases = site.client.get("/-/databases.json").json()
    archive = next(d for d in databases if d["name"] == site.db)
    assert archive["is_mutable"] is True
    command = datasette_command(site.db_path, Path("m.json"))
    assert "--root" not in command and "-i" not in command and "--immutable" not in command


def test_robots_blocked_unless_public(site: Site, tmp_path: Path) -> None:
    assert site.client.get("/robots.txt").text.splitlines() == ["User-agent: *", "Disallow: /"]
    with running_datasette(site.db_path, public=True) as base_url:
        robots = httpx.get(f"{base_url}/robots.txt").text
    assert "Disallow: /" not in robots and "Allow: /" in robots


# -- (f) it keeps answering while a crawl writes --------------------------------------------------


def test_reads_are_not_blocked_by_an_exclusive_write_transaction(site: Site) -> None:
    """Without WAL an EXCLUSIVE lock shuts readers out; with it they read the last committed state."""
    writer = sqlite3.connect(site.db_path, isolation_level=None, timeout=30)
    try:
        assert writer.execute("pragma journal_mode").fetchone()[0] == "wal"
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("UPDATE pages SET title = 'đang ghi' WHERE id = 1")
        rows = site.rows("pages", id=1)
        assert rows[0]["title"] == ITEMS[0].title  # the uncommitted title is not seen
        writer.execute("COMMIT")
        assert site.rows("pages", id=1)[0]["title"] == "đang ghi"
        writer.execute("UPDATE pages SET title = ? WHERE id = 1", (ITEMS[0].title,))
    finally:
        writer.close()


def test_answers_while_the_store_writes(tmp_path: Path) -> None:
    db_path = tmp_path / "busy.sqlite"
    build_archive(db_path)
    new_pages = 60
    done = threading.Event()

    def crawl() -> None:
        store = ArchiveStore(db_path)
        try:
            for n in range(new_pages):
                item = Item(
                    f"bai-moi-{n}",
                    9000 + n,
                    "tin-tuc-su-kien",
                    "news",
                    f"Bài mới về thi đua số {n}",
                    "2025-01-01",
                    "Tóm tắt.",
                    "Nội dung thi đua yêu nước " * 50,
                )
                store.save_page(page_item(item, RECRAWL), None)
        finally:
            store.close()
            done.set()

    with running_datasette(db_path) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        thread = threading.Thread(target=crawl)
        thread.start()

        def count() -> int:
            response = client.get(
                f"/{database_name(db_path)}.json",
                params={"sql": "select count(*) as n from pages", "_shape": "array"},
            )
            assert response.status_code == 200
            n: int = response.json()[0]["n"]
            return n

        during = []
        while not done.is_set() or len(during) < 3:
            during.append(count())
        thread.join()
        after = count()
        found = client.get(
            f"/{database_name(db_path)}/pages.json", params={"_search": "thi dua yeu nuoc"}
        ).json()
    assert during == sorted(during) and during[-1] <= after == len(ITEMS) + new_pages
    assert found["filtered_table_rows_count"] == new_pages


def readme_addresses() -> list[str]:
    """Every address README's querying section shows (`/…` in backticks), placeholders left out."""
    found = re.findall(r"`(/[^`\s]*)`", querying_section())
    return sorted({a for a in found if "<" not in a})


def served_path(address: str, db: str) -> str:
    return re.sub(r"^/tdkt(?=[/?.]|$)", f"/{db}", address).split("#", 1)[0]


def test_every_address_in_the_readme_querying_section_answers(site: Site) -> None:
    addresses = readme_addresses()
    assert len(addresses) >= 30
    assert {"/", "/search?q=thi+dua", "/feed.atom", "/tdkt/pages?_search=thi+dua"} <= set(addresses)
    for address in addresses:
        response = site.client.get(served_path(address, site.db))
        assert response.status_code == 200, (address, response.text[:300])


@pytest.mark.parametrize("public", [False, True])
def test_tdkt_serve_runs_datasette_until_interrupted(site: Site, public: bool) -> None:
    port = free_port()
    command = [sys.executable, "-m", "archive.cli", "serve", "--db", str(site.db_path), "--port", str(port)]
    process = subprocess.Popen([*command, *(["--public"] if public else [])], cwd=REPO)
    try:
        robots = None
        deadline = time.monotonic() + 60
        while robots is None and time.monotonic() < deadline and process.poll() is None:
            try:
                robots = httpx.get(f"http://127.0.0.1:{port}/robots.txt", timeout=2).text
            except httpx.TransportError:
                time.sleep(0.2)
        assert robots is not None, "tdkt serve did not answer"
        assert ("Disallow: /" in robots) is not public
        results = httpx.get(
            f"http://127.0.0.1:{port}/{site.db}/pages.json", params={"_search": "thi dua"}
        ).json()
        assert results["filtered_table_rows_count"] == len(expected_search("thi dua", current_items()))
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    with pytest.raises(httpx.TransportError):  # the Datasette child went with it
        httpx.get(f"http://127.0.0.1:{port}/robots.txt", timeout=2)


def test_serve_refuses_a_missing_archive(tmp_path: Path) -> None:
    assert serve(tmp_path / "nothing.sqlite", port=free_port()) == 2


def test_pages_open_with_a_facet_by_year(site: Site) -> None:
    data = site.client.get(f"/{site.db}/pages.json").json()
    facets = data["facet_results"]
    assert {"kind", "category", "published_at"} <= set(facets)
    by_year = facets["published_at"]
    assert by_year["type"] == "year"
    years = {v["value"]: v["count"] for v in by_year["results"]}
    assert years == Counter(i.published_at[:4] for i in ITEMS)
    pick = next(v for v in by_year["results"] if v["value"] == "2024")
    picked = httpx.get(pick["toggle_url"] + "&_shape=objects").json()
    assert {r["url"] for r in picked["rows"]} == {i.url for i in ITEMS if i.published_at.startswith("2024")}


def test_sql_examples_in_the_readme_querying_section_run(site: Site) -> None:
    doc = querying_section()
    examples = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    assert examples
    for sql in examples:
        rows = site.client.get(f"/{site.db}.json", params={"sql": sql, "_shape": "array"})
        assert rows.status_code == 200, rows.text[:300]
        assert rows.json(), sql


def test_ranked_search_shows_context_as_published(site: Site) -> None:
    rows = site.rows("search", q="thi dua")
    marked = [w for r in rows for w in re.findall(r"«([^»]+)»", r["context"] or "")]
    assert "đua" in marked or "Đua" in marked  # shown with its accent although typed without
    assert {fold_key(w) for w in marked} <= {"thi", "dua"}


TIE_GROUPS = 5
TIE_GROUP_SIZE = 52  # 260 matches over five dates: the 200th place falls inside a date shared by 52 pages


def news_item(n: int, *, title: str, day: str | None, body: str) -> PageItem:
    """Page n of the made-up archives below: the fields the search tests vary, the rest fixed."""
    return PageItem(
        url=f"{BASE}/tin-tuc-su-kien/bai-{n}-{1000 + n}.html",
        category="tin-tuc-su-kien",
        kind="news",
        title=title,
        site_id=1000 + n,
        published_raw=day,
        published_at=day,
        body_text=body,
        fetched_at=FIRST_CRAWL,
    )


def write_pages(db_path: Path, items: Iterable[PageItem]) -> None:
    """An archive of these pages, written by the store in one crawl run."""
    store = ArchiveStore(db_path)
    run = store.start_run(BASE, "full")
    for item in items:
        store.save_page(item, run)
    store.finish_run(run, "finished")
    store.close()


def ranked(items: Iterable[Any], query: str, ids: dict[str, int]) -> list[tuple[str, bool]]:
    """The ranking as README and the help page state it, computed from the items themselves: pages
    holding every word (original or đ→d copy, modelled by fts_tokens), those with every word in the title
    first, newest first within each, undated last, ties in page id order. (url, in title) pairs."""
    words = fts_tokens(query)

    def tokens(*texts: str | None) -> set[str]:
        return set().union(*(fts_tokens(t) | fts_tokens(fold_for_search(t)) for t in texts))

    hits = [
        (item, words <= tokens(item.title))
        for item in items
        if words and words <= tokens(item.title, item.summary, item.body_text)
    ]
    hits.sort(key=lambda hit: ids[hit[0].url])
    hits.sort(key=lambda hit: hit[0].published_at or "", reverse=True)
    hits.sort(key=lambda hit: (not hit[1], hit[0].published_at is None))
    return [(item.url, in_title) for item, in_title in hits]


def page_ids(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select url, id from pages"))


def tie_items() -> list[PageItem]:
    """One query matches 260 pages in five dates, one in five in the title; a few more are undated."""
    return [
        news_item(
            n,
            title="Thi đua yêu nước" if n % TIE_GROUPS == 0 else "Tin hoạt động",
            day=None if n % 37 == 36 else f"2024-0{1 + n // TIE_GROUP_SIZE}-15",
            body="Phong trào thi đua yêu nước. " + "Báo cáo tổng kết năm. " * (n % TIE_GROUPS * 3),
        )
        for n in range(TIE_GROUPS * TIE_GROUP_SIZE)
    ]


@pytest.fixture(scope="module")
def many_matches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("ranked") / "tdkt-ranked.sqlite"
    write_pages(db_path, tie_items())
    return db_path


@pytest.mark.parametrize(
    ("query", "both_tiers"),
    [("thi dua", True), ("thi đua yêu nước", True), ("bao cao", False), ("Tin hoạt động", False)],
)
def test_ranked_search_equals_the_stated_ranking_across_ties_at_the_200th_place(
    many_matches: Path, query: str, both_tiers: bool
) -> None:
    expected = ranked(tie_items(), query, page_ids(many_matches))[:200]
    assert len(expected) == 200
    assert (len({in_title for _, in_title in expected}) == 2) is both_tiers
    with running_datasette(many_matches) as base_url:
        response = httpx.get(
            f"{base_url}/{database_name(many_matches)}/search.json",
            params={"q": query, "_shape": "array"},
            timeout=30,
        )
    assert response.status_code == 200, response.text
    assert [(row["url"], bool(row["in_title"])) for row in response.json()] == expected


TIED_PAGES = 60  # ten a date over six dates, one in six naming an order as well
AN_ORDER = "Huân chương Lao động"


@pytest.fixture(scope="module")
def tied_dates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    db_path = tmp_path_factory.mktemp("tied") / "tdkt-tied.sqlite"
    write_pages(
        db_path,
        (
            news_item(
                n,
                title=f"Tin thi đua số {n}",
                day=f"2024-0{1 + n % 6}-15",
                body="Phong trào thi đua." + (f" Tặng {AN_ORDER}." if n % 6 == 0 else ""),
            )
            for n in range(TIED_PAGES)
        ),
    )
    with running_datasette(db_path) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        yield Site(base_url, database_name(db_path), db_path, client)


def walk_pages(site: Site, search: str) -> tuple[list[int], str]:
    """Every row of `?_search=` seven at a time through Datasette's next links; the first page's SQL."""
    url: str | None = f"/{site.db}/pages.json?" + str(httpx.QueryParams({"_search": search, "_size": 7}))
    ids: list[int] = []
    first_sql = ""
    while url:
        data = site.client.get(url).json()
        first_sql = first_sql or data["query"]["sql"]
        ids += [row[0] for row in data["rows"]]
        url = data["next_url"]
    return ids, first_sql


@pytest.mark.parametrize(
    ("search", "broad", "matches"),
    [("thi dua", True, TIED_PAGES), ("huan chuong lao dong", False, TIED_PAGES // 6)],
)
def test_search_results_page_through_dates_shared_by_many_pages_without_repeats_or_gaps(
    tied_dates: Site, search: str, broad: bool, matches: int
) -> None:
    ids, sql = walk_pages(tied_dates, search)
    assert len(ids) == matches
    assert len(set(ids)) == matches
    # A search matching most of the table walks the date index (`+id in`); a narrow one looks rows up.
    assert ("+id in (select rowid from pages_fts" in sql) is broad
