"""archive.normalize.text: stored text is NFC and tidy; folded keys join spellings of one name."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.normalize.text import (
    clean_multiline,
    clean_text,
    fold_for_search,
    fold_for_search_sql,
    fold_key,
    nfc,
    to_new_tone_style,
)


def test_clean_text_makes_nfc_and_collapses_whitespace() -> None:
    raw = unicodedata.normalize("NFD", "  Thi\u00a0đua   yêu\u200b nước \n")
    assert clean_text(raw) == "Thi đua yêu nước"


def test_clean_text_maps_the_icelandic_eth_look_alike_to_d_with_stroke() -> None:
    assert clean_text("Số: 163/Q\u00d0-UBND") == "Số: 163/QĐ-UBND"


def test_clean_text_keeps_none() -> None:
    assert clean_text(None) is None


def test_clean_multiline_keeps_paragraphs() -> None:
    assert clean_multiline("Đoạn một.\n\n\n  Đoạn   hai. \n") == "Đoạn một.\n\nĐoạn hai."


@pytest.mark.parametrize(
    ("text", "expected"),
    [("thi đua", "thi dua"), ("ĐỒNG BẰNG", "DỒNG BẰNG"), ("Q\u00d0", "QD"), ("", ""), (None, "")],
)
def test_fold_for_search_maps_only_d_with_stroke(text: str | None, expected: str) -> None:
    assert fold_for_search(text) == expected


def test_fold_for_search_in_sql_folds_exactly_as_in_python() -> None:
    # The search index's view and triggers fold in SQL (archive/db.py): a character folded differently
    # would leave words in the index that FTS5's 'delete' no longer finds.
    text = "".join(chr(c) for c in range(0x20, 0x2000)) + "Thi đua ĐỒNG \u00d0\u00f0 Q\u0110"
    with sqlite3.connect(":memory:") as conn:
        (folded,) = conn.execute(f"select {fold_for_search_sql('?')}", (text,)).fetchone()
        (null,) = conn.execute(f"select {fold_for_search_sql('null')}").fetchone()
    assert folded == fold_for_search(text)
    assert null is None


@pytest.mark.parametrize(
    "spelling",
    [
        "Nguyễn Văn Trường",
        "NGUYỄN VĂN TRƯỜNG",
        "Nguyen Van Truong",
        "Nguyễn  Văn  Trường",
        unicodedata.normalize("NFD", "Nguyễn Văn Trường"),
    ],
)
def test_fold_key_joins_spellings_of_one_name(spelling: str) -> None:
    assert fold_key(spelling) == "nguyen van truong"


def test_fold_key_joins_old_and_new_tone_placement() -> None:
    assert fold_key("Thái Thụy") == fold_key("Thái Thuỵ") == "thai thuy"


@pytest.mark.parametrize(("old", "new"), [("hòa", "hoà"), ("khỏe", "khoẻ"), ("thủy", "thuỷ"), ("quý", "quý")])
def test_to_new_tone_style(old: str, new: str) -> None:
    assert to_new_tone_style(old) == new


@given(st.text())
def test_nfc_is_idempotent_and_normalised(text: str) -> None:
    once = nfc(text)
    assert unicodedata.is_normalized("NFC", once)
    assert nfc(once) == once
