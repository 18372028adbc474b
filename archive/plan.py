"""What a crawl run will do, decided once from the archive before the first request: plain data.

The crawl session builds it from the store (`ArchiveStore.crawl_plan`); the spider's walking rules read
it and nothing else, so they are tested with a plan made by hand and no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MODES = ("full", "incremental")


def crawl_mode(requested: str | None, has_data: bool) -> str:
    """The one full/incremental decision: an empty archive is always crawled in full; otherwise what
    was asked, and incremental when nothing was."""
    if not has_data:
        return "full"
    if requested is not None and requested not in MODES:
        raise ValueError(f"unknown crawl mode {requested!r}; expected one of {', '.join(MODES)}")
    return requested or "incremental"


@dataclass
class CrawlPlan:
    """The archive as a crawl run needs it, keyed by item key (archive.site.item_key)."""

    mode: str = "full"
    # item key -> the item's path and query at the site (where to ask for it at this run's address)
    known: dict[str, str] = field(default_factory=dict)
    # Items that answered 404/410 before and were never archived: an incremental run does not ask again.
    dead: frozenset[str] = frozenset()
    # item key -> (ETag, Last-Modified) of its last capture: a full run revisits with them
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # (page URL, file URL) at the site's canonical origin, of downloads a previous run did not finish
    pending_files: list[tuple[str, str]] = field(default_factory=list)
    pending_images: list[tuple[str, str]] = field(default_factory=list)

    def is_known(self, key: str | None) -> bool:
        return key is not None and key in self.known

    def skips(self, key: str | None) -> bool:
        """Whether an incremental run leaves this item alone (archived already, or known dead)."""
        return self.mode == "incremental" and key is not None and (key in self.known or key in self.dead)

    @property
    def known_paths(self) -> frozenset[str]:
        return frozenset(self.known.values())
