"""Visible "Label: value" metadata and the source line, read from the article's blocks only.

The site's footer ("Địa chỉ", "Email") is furniture and never read; a table's header row ("Chức vụ |
Đơn vị") is a header, not a pair. Pairs come from label lines ("<b>Số ký hiệu:</b> 163/QĐ-UBND", one
per `<br>` line), two- or four-column label tables, definition lists, and a label block followed by its
value block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from archive.normalize.text import clean_text, fold_key
from scraper import site_profile as profile
from scraper.pages.base import soft_fold, text_of
from scraper.pages.blocks import MEDIA, ROW, Block
from scraper.pages.template import BREAKING, LINKS, LISTING, TEASER, Verdict

_MAX_PAIR = 300
_SOURCE_LINE = re.compile(
    "^(?:" + "|".join(re.escape(fold_key(x)) for x in profile.SOURCE_LABELS) + r")\s*:\s*\S"
)
# Furniture a source line is never read from; a line many articles share ("Theo: Báo Thái Bình") is.
_NOT_ARTICLE = frozenset({LISTING, TEASER, LINKS})


def _known(label: str) -> bool:
    return fold_key(label) in profile.METADATA_LABELS


def _cells(block: Block) -> list[str]:
    return [text_of(c) for c in block.element if isinstance(c.tag, str) and c.tag in ("td", "th")]


Pair = tuple[tuple[int, ...], str, str]  # (the blocks it was read from, label as shown, value)


def label_pairs(blocks: Sequence[Block], verdicts: Sequence[Verdict]) -> list[Pair]:
    """Every known label and its value outside the site's furniture (a value may look like a box
    heading: "Loại văn bản" | "Thông báo")."""
    pairs: list[Pair] = []

    def add(index: int | tuple[int, ...], label: str, value: str) -> None:
        label = clean_text(label.strip().rstrip(":").strip()) or ""
        value = clean_text(value.strip().lstrip(":").strip()) or ""
        if value and _known(label) and not _known(value):
            pairs.append((index if isinstance(index, tuple) else (index,), label, value))

    n = len(blocks)
    for i, block in enumerate(blocks):
        if verdicts[i].furniture in BREAKING or block.kind == MEDIA:
            continue
        if block.kind == ROW:
            cells = _cells(block)
            if len(cells) in (2, 4) and all(len(c) < 60 for c in cells[0::2]) and _known(cells[0]):
                for k in range(0, len(cells) - 1, 2):
                    add(i, cells[k], cells[k + 1])
            continue
        text = block.text
        if len(text) >= _MAX_PAIR:
            continue
        tag = block.element.tag
        nxt = blocks[i + 1] if i + 1 < n else None
        if tag == "dt" and nxt is not None and nxt.element.tag == "dd":
            add((i, i + 1), text, nxt.text)
            continue
        if ":" in text:
            label, _, value = text.partition(":")
            if value.strip():
                add(i, label, value)
                continue
        if (
            nxt is not None
            and _known(text)
            and nxt.kind != MEDIA
            and len(nxt.text) < _MAX_PAIR
            and not _known(nxt.text.rstrip(":"))
            # The value is the label's sibling, whatever else the site shows the same words as ("Thông
            # báo" is a value here and a box heading elsewhere).
            and (verdicts[i + 1].furniture not in BREAKING or _siblings(block, nxt))
        ):
            add((i, i + 1), text, nxt.text)  # a label block, then its value block
    return pairs


def _siblings(a: Block, b: Block) -> bool:
    parent = a.element.getparent()
    return parent is not None and b.element.getparent() is parent and a.element.getnext() is b.element


def metadata(pairs: Sequence[Pair]) -> dict[str, str]:
    found: dict[str, str] = {}
    for _, label, value in pairs:
        found.setdefault(label, value)
    return found


def metadata_block_indices(pairs: Sequence[Pair]) -> set[int]:
    """Blocks that are a metadata block (two or more label lines together), not article text: a single
    "Địa chỉ: …" line inside a notice stays in its body."""
    groups: list[list[int]] = []
    for i in sorted({i for indices, _, _ in pairs for i in indices}):
        if groups and i - groups[-1][-1] <= 2:
            groups[-1].append(i)
        else:
            groups.append([i])
    return {i for group in groups if len(group) >= 2 for i in group}


def source_line(blocks: Sequence[Block], verdicts: Sequence[Verdict], start: int) -> str | None:
    """The credited source of a "Theo: Báo Thái Bình" / "Nguồn: …" line, from `start` on."""
    for block, verdict in zip(blocks[start:], verdicts[start:], strict=True):
        if verdict.furniture in _NOT_ARTICLE or ":" not in block.text or len(block.text) > 160:
            continue
        if not _SOURCE_LINE.match(soft_fold(block.text)):
            continue
        value = block.text.split(":", 1)[1].strip(" .")
        if value and not value.lower().startswith(("http", "www")) and len(value) < 100:
            return clean_text(value)
    return None
