"""After a crawl: read the text of new files and (re)derive the metadata tables of changed pages.

Kept out of the crawl itself so that a slow or hostile file never stalls Scrapy's reactor, and so that
a run killed halfway is finished by the next one: what is pending is simply what has no text or no
derived rows yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.store import ArchiveStore

if TYPE_CHECKING:
    from archive.derive import PageInput


@dataclass
class EnrichStats:
    files_read: int = 0
    file_errors: int = 0
    pages_derived: int = 0
    derive_errors: int = 0


def enrich_archive(
    store: ArchiveStore,
    *,
    run_id: int | None = None,
    timeout: float = 30.0,
    memory_mb: int = 1024,
    on_progress: Callable[[str], None] | None = None,
) -> EnrichStats:
    from archive.derive import AttachmentInput, derive_page
    from archive.extract import ExtractJob, extract_files

    stats = EnrichStats()
    jobs = (
        ExtractJob(attachment_id, Path(path), content_type, filename)
        for attachment_id, path, content_type, filename in store.attachments_to_extract()
    )
    for attachment_id, result in extract_files(jobs, timeout=timeout, memory_mb=memory_mb):
        store.save_attachment_text(attachment_id, result.text, result.tables, result.error)
        stats.files_read += 1
        stats.file_errors += bool(result.error)
        if on_progress:
            on_progress(f"read file {attachment_id}")

    for page_id in store.pages_to_derive():
        page, files = store.load_for_derive(page_id)
        page_input = derive_input(page, json.loads(page["metadata_json"]) if page["metadata_json"] else {})
        attachments = [AttachmentInput(**f) for f in files]
        try:
            derived = derive_page(page_input, attachments)
        except Exception as exc:  # one bad page must not stop the others; the reason is kept
            store.record_error(run_id, page["url"], None, f"derive failed: {type(exc).__name__}: {exc}")
            stats.derive_errors += 1
            continue
        store.save_derived(page_id, derived)
        stats.pages_derived += 1
    return stats


def derive_input(page: Mapping[str, Any], metadata: dict[str, str]) -> PageInput:
    """What derive_page reads of a page: its fields, named alike in the page's row and its record
    (archive.records), so an archived row and a fresh record give the same input."""
    from archive.derive import PageInput

    names = [f.name for f in fields(PageInput) if f.name != "metadata"]
    return PageInput(**{name: page[name] for name in names}, metadata=dict(metadata))
