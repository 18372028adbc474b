"""What every page class shares: here, the soft fold that visible labels are matched with."""

from __future__ import annotations

import re
import unicodedata

import pytest

from archive.normalize.text import nfc
from scraper.pages.base import soft_fold


def reference_soft_fold(text: str) -> str:
    """The fold written out character by character: the cached translate table must agree with it."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", bare.replace("\u00a0", " ")).strip()


@pytest.mark.parametrize(
    "text",
    [
        "Ngày đăng: 13/06/2022",
        "NGÀY BAN HÀNH:\u00a0 02/10/2020",
        "Nguồn:  Báo Thái Bình ",
        "Thứ Hai, 18-02-2025 lúc 14h03",
        "Đ\u0110\u00d0 đồng QÐ-UBND",  # Đ, Đ and the look-alike eth
        "hoa\u0300 ho\u0300a",  # tones as combining marks (NFD input)
        "\u05e9\u05b8\u05c1",  # Hebrew points: nonspacing marks outside the Latin block
        "\u0915\u094d\u0937 \u0915\u0903",  # Devanagari virama (Mn, dropped) and visarga (Mc, kept)
        "a\u20dd b\u20d7",  # an enclosing mark (Me, kept) and a combining arrow (Mn, dropped)
        "Trích yếu\tnội\n dung",
        "plain ascii: 123",
    ],
)
def test_soft_fold_agrees_with_the_character_by_character_fold(text: str) -> None:
    assert soft_fold(text) == reference_soft_fold(text)
    assert soft_fold(text) == reference_soft_fold(text)  # the second call is the cached answer


def test_soft_fold_of_nothing_is_empty() -> None:
    assert soft_fold(None) == ""
    assert soft_fold("") == ""
