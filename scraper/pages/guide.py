"""A text guide for a single page with no site around it: which of its blocks `trafilatura` keeps.

Within a crawl the site's template says what is furniture; a page seen alone has only itself. There
trafilatura's choice (the best of the open-source extractors on a public benchmark of real article
pages) names the article's blocks, and the page classes keep their own rules for everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from scraper.pages.base import soft_fold
from scraper.pages.blocks import MEDIA, Block

logger = logging.getLogger(__name__)
# Shorter blocks are too generic to say whether the guide kept them ("Tin tức", "Xem thêm").
_MIN_MATCH = 12


def guided_blocks(html: str, url: str, blocks: Sequence[Block]) -> set[int] | None:
    """Indices of the blocks whose text trafilatura extracted, or None when it extracted nothing."""
    import trafilatura  # imported on first use: a crawl never needs it

    try:
        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=True, deduplicate=False
        )
    except Exception as exc:  # a guide that fails is no guide; the page's own cues still decide
        logger.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if not text:
        return None
    folded = soft_fold(text.replace("\n", " "))
    chosen: set[int] = set()
    for block in blocks:
        if block.kind == MEDIA or len(block.text) < _MIN_MATCH:
            continue
        if block.folded in folded or _cells_in(block, folded):
            chosen.add(block.index)
    return chosen or None


def _cells_in(block: Block, folded: str) -> bool:
    """A table row trafilatura wrote cell by cell: every long cell of it appears in its text."""
    if " | " not in block.text:
        return False
    cells = [c for c in block.folded.split(" | ") if len(c) >= 4]
    return bool(cells) and all(c in folded for c in cells)
