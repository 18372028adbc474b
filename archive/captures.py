"""Captures of the site held by web archives, and which of them an import delivers, in what order.

A capture is one archived answer of one URL at one moment: a row of a CDX index or a WARC record.
This module holds the pure rules (no I/O): what a capture is, and the order in which `tdkt import` hands
one item's captures to the spider. Which captures are the site, and which item each shows, is never
decided here: `archive.site.SiteIdentity` answers both (`is_alias`, `item_key`), so an item captured
under either host name, over http or https, and crawled live is one item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.normalize.dates import timestamp_to_iso

REVISIT_MIME = "warc/revisit"
REMOVED_STATUSES = frozenset({404, 410})
# Statuses whose captures are delivered without their body: the spider records them, never parses them.
# Redirects are fetched (their Location matters); 404/410 mark a known page removed.
BODILESS_STATUSES = frozenset({404, 410}) | frozenset(range(500, 600)) | frozenset({400, 401, 403})


@dataclass(frozen=True)
class Capture:
    """One archived answer. `timestamp` is the archive's 14-digit UTC time (YYYYMMDDhhmmss)."""

    url: str
    timestamp: str
    status: int | None  # None: a revisit record, whose status is its original's
    mime: str | None
    digest: str | None  # payload digest as the archive gives it (base32 SHA-1 for WARC-era archives)
    locator: str  # where the bytes are: "<file>#<offset>" in a WARC or WACZ, or the archive's raw URL
    id: int | None = None  # the archive's own row (captures.id) once recorded

    @property
    def captured_at(self) -> str:
        return timestamp_to_iso(self.timestamp)

    @property
    def is_revisit(self) -> bool:
        return self.mime == REVISIT_MIME or self.status is None

    @property
    def is_good(self) -> bool:
        return self.status == 200


def within(capture: Capture, start: str | None, end: str | None) -> bool:
    return (start is None or capture.timestamp >= start) and (end is None or capture.timestamp <= end)


def resolve_revisits(captures: Sequence[Capture]) -> list[Capture]:
    """Revisit records stand for an earlier capture of the same URL with the same payload digest: each
    becomes that original (its bytes), dated at the revisit's time. A revisit whose original the archive
    lacks is dropped: there is nothing to read."""
    originals: dict[str, Capture] = {}
    out: list[Capture] = []
    for capture in sorted(captures, key=lambda c: c.timestamp):
        if not capture.is_revisit:
            if capture.digest:
                originals.setdefault(capture.digest, capture)
            out.append(capture)
            continue
        original = originals.get(capture.digest or "")
        if original is not None:
            out.append(
                Capture(
                    url=capture.url,
                    timestamp=capture.timestamp,
                    status=original.status,
                    mime=original.mime,
                    digest=original.digest,
                    locator=original.locator,
                    id=capture.id,
                )
            )
    return out


def delivery_order(
    captures: Iterable[Capture],
    *,
    all_captures: bool,
    start: str | None = None,
    end: str | None = None,
) -> list[Capture]:
    """The captures of one item an import hands to the spider, oldest first.

    By default the latest good (200) capture — or, when the item never answered 200 in the period, its
    latest capture, so redirects and dead links are recorded — followed by a later 404/410 if the site
    said the item was gone after it. With `all_captures`, every capture whose payload differs from the
    one before it (revisits and identical re-captures add nothing), in time order.
    """
    chosen = resolve_revisits([c for c in captures if within(c, start, end)])
    if not chosen:
        return []
    if all_captures:
        out: list[Capture] = []
        for capture in chosen:
            if (
                out
                and capture.digest
                and capture.digest == out[-1].digest
                and capture.status == out[-1].status
            ):
                continue
            out.append(capture)
        return out
    good = [c for c in chosen if c.is_good]
    if not good:
        return [chosen[-1]]
    latest_good = good[-1]
    after = [c for c in chosen if c.timestamp > latest_good.timestamp and c.status in REMOVED_STATUSES]
    return [latest_good, after[-1]] if after else [latest_good]
