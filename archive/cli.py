"""The `tdkt` command: one click group, every command listed in README."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from archive.defaults import DEFAULT_DB, DEFAULT_SITE, DEMO_DB, ERROR_THRESHOLD, MAX_FILE_MB

# Exit codes, as README documents them.
EXIT_ERRORS = 1  # done, but more than --error-threshold of the requests ended in errors
EXIT_USAGE = 2  # bad arguments, an unusable path, a --site that gives no home page or is another site
EXIT_LOCKED = 3  # another crawl holds the archive's lock
_SQLITE_HEADER = b"SQLite format 3\x00"


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        help="The SQLite archive; downloaded files are kept beside it in files/.",
    )(func)


def port_option(default: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--port", type=click.IntRange(0, 65535), default=default, show_default=True)


def fail(command: str, message: str, code: int = EXIT_USAGE) -> NoReturn:
    """One line saying what is wrong and what to do, and the documented exit code."""
    click.echo(f"tdkt {command}: {message}", err=True)
    sys.exit(code)


def archive_to_write(command: str, db_path: Path) -> Path:
    """A --db the command can create or write: its folder exists (made here only inside the current
    folder), is a folder, and is writable; an existing file there is an SQLite archive."""
    if db_path.exists():
        _check_is_archive(command, db_path)
    folder = db_path.parent
    for ancestor in [folder, *folder.parents]:
        if ancestor.exists():
            if not ancestor.is_dir():
                fail(command, f"--db {db_path}: {ancestor} is a file, not a folder; give a path in a folder")
            break
    if not folder.exists():
        inside = folder.resolve().is_relative_to(Path.cwd().resolve())
        if not inside:
            fail(
                command,
                f"--db {db_path}: the folder {folder} does not exist; create it first (mkdir -p {folder})",
            )
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            fail(command, f"--db {db_path}: cannot create the folder {folder} ({exc.strerror})")
    if not os.access(folder, os.W_OK | os.X_OK):
        fail(
            command, f"--db {db_path}: the folder {folder} is not writable; give a path in a writable folder"
        )
    return db_path


def archive_to_read(command: str, db_path: Path) -> Path:
    """A --db that exists and is an SQLite archive."""
    if not db_path.exists():
        hint = "run `tdkt crawl` (or `tdkt demo`) first" if command == "serve" else "check --db"
        fail(command, f"--db {db_path} does not exist; {hint}")
    _check_is_archive(command, db_path)
    return db_path


def _check_is_archive(command: str, db_path: Path) -> None:
    if db_path.is_dir():
        fail(command, f"--db {db_path} is a folder; give the archive's .sqlite file")
    try:
        with db_path.open("rb") as fh:
            header = fh.read(len(_SQLITE_HEADER))
    except OSError as exc:
        fail(command, f"--db {db_path} cannot be read ({exc.strerror})")
    if header and header != _SQLITE_HEADER:
        fail(command, f"--db {db_path} is not an SQLite archive; give the archive's .sqlite file")


def usable_port(command: str, host: str, port: int) -> None:
    from archive.ports import port_problem

    problem = port_problem(host, port)
    if problem is not None:
        fail(command, problem)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tdkt-archive")
def cli() -> None:
    """Archive of the Thái Bình emulation and commendation board's website (tdkt.thaibinh.gov.vn)."""


@cli.command()
@click.option("--site", default=DEFAULT_SITE, show_default=True, help="Root URL of the site to crawl.")
@click.option(
    "--site-moved",
    is_flag=True,
    help="The archive's site now lives at --site: make it the archive's address (a site not recognised "
    "as the archive's is refused otherwise).",
)
@db_option
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between requests (AutoThrottle may add more). Use 0 only for a local replica.",
)
@click.option("--full", is_flag=True, help="Revisit every known page to find edits and removals.")
@click.option("--quiet", is_flag=True, help="No progress display, only errors (for cron).")
@click.option("--concurrency", type=click.IntRange(1, 16), default=2, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True, help="Per request.")
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0.001),
    default=MAX_FILE_MB,
    show_default=True,
    help="Larger files and images are skipped.",
)
@click.option(
    "--error-threshold",
    type=click.FloatRange(0, 1),
    default=ERROR_THRESHOLD,
    show_default=True,
    help="Exit 1 when more than this share of requests ended in errors.",
)
@click.option(
    "--warc/--no-warc",
    default=True,
    show_default=True,
    help="Keep the raw HTTP exchanges as WARC files beside the archive.",
)
def crawl(
    site: str,
    site_moved: bool,
    db_path: Path,
    delay: float,
    full: bool,
    quiet: bool,
    concurrency: int,
    timeout: float,
    max_file_mb: float,
    error_threshold: float,
    warc: bool,
) -> None:
    """Crawl the site into the archive (incremental once the archive holds data)."""
    from archive.crawl import run_crawl
    from archive.lock import ArchiveLocked, archive_lock

    if not site.startswith(("http://", "https://")):
        fail("crawl", f"--site {site}: give an http:// or https:// address (the default is {DEFAULT_SITE})")
    archive_to_write("crawl", db_path)
    try:
        with archive_lock(db_path):
            code = run_crawl(
                site,
                db_path,
                delay=delay,
                full=full,
                site_moved=site_moved,
                quiet=quiet,
                concurrency=concurrency,
                timeout=timeout,
                max_file_mb=max_file_mb,
                error_threshold=error_threshold,
                warc=warc,
            )
            if code != EXIT_USAGE:  # a crawl that never ran has nothing new to read
                _enrich_after_crawl(db_path, quiet=quiet)
    except ArchiveLocked as exc:
        fail("crawl", str(exc), EXIT_LOCKED)
    sys.exit(code)


def _enrich_after_crawl(db_path: Path, *, quiet: bool) -> None:
    from archive.enrich import enrich_archive
    from archive.store import ArchiveStore

    if not db_path.exists():  # the crawl stopped before it stored anything
        return
    stats = enrich_archive(ArchiveStore(db_path), on_progress=None if quiet else _terminal_progress())
    if not quiet:
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
        click.echo(
            f"Files read: {stats.files_read} ({stats.file_errors} unreadable, {stats.files_ocr} by OCR); "
            f"pages derived: {stats.pages_derived} ({stats.derive_errors} errors)"
        )


def _terminal_progress() -> Callable[[str], None] | None:
    """One self-overwriting status line on a terminal (OCR takes seconds a page); nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        sys.stderr.write(f"\r\033[K{message}")
        sys.stderr.flush()

    return show


@cli.command()
@db_option
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True, help="Per file.")
def enrich(db_path: Path, timeout: float) -> None:
    """Read the text of new files and re-derive awards, legal texts, movements and citations."""
    from archive.enrich import enrich_archive
    from archive.store import ArchiveStore

    archive_to_read("enrich", db_path)
    stats = enrich_archive(ArchiveStore(db_path), timeout=timeout, on_progress=_terminal_progress())
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    click.echo(
        f"files read: {stats.files_read} ({stats.file_errors} errors, {stats.files_ocr} by OCR); "
        f"pages derived: {stats.pages_derived} ({stats.derive_errors} errors)"
    )


@cli.command()
@db_option
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def reparse(db_path: Path, quiet: bool) -> None:
    """Re-parse every page from its stored WARC capture with today's parser (nothing is fetched)."""
    from archive.enrich import enrich_archive
    from archive.lock import ArchiveLocked, archive_lock
    from archive.reparse import reparse_archive
    from archive.store import ArchiveStore

    if not db_path.exists():
        raise click.BadParameter(f"{db_path} does not exist", param_hint="--db")
    try:
        with archive_lock(db_path):
            store = ArchiveStore(db_path)
            stats = reparse_archive(store)
            derived = enrich_archive(store, run_id=stats.run_id)
    except ArchiveLocked as exc:
        click.echo(f"tdkt reparse: {exc}", err=True)
        sys.exit(3)
    if not quiet:
        click.echo(
            f"pages re-parsed: {stats.pages - stats.without_capture} of {stats.pages} "
            f"({stats.changed} changed, {stats.unchanged} unchanged, {stats.without_capture} without a "
            f"capture, {stats.errors} errors); pages derived: {derived.pages_derived}"
        )
    sys.exit(1 if stats.errors else 0)


@cli.command()
@db_option
@port_option(8001)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--public", is_flag=True, help="Let search engines index it (robots.txt allows crawling).")
@click.option("--open", "open_browser", is_flag=True, help="Open a web browser on it.")
def serve(db_path: Path, port: int, host: str, public: bool, open_browser: bool) -> None:
    """Publish the archive with Datasette (read-only)."""
    from archive.publish import serve as serve_datasette

    archive_to_read("serve", db_path)
    usable_port("serve", host, port)
    sys.exit(serve_datasette(db_path, port=port, host=host, public=public, open_browser=open_browser))


@cli.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEMO_DB,
    show_default=True,
    help="The demo's archive, reused by every run: a second run adds nothing.",
)
@port_option(8001)
@click.option("--no-serve", is_flag=True, help="Stop after the crawl, without starting Datasette.")
def demo(db_path: Path, port: int, no_serve: bool) -> None:
    """Serve the bundled replica, crawl it, and open the archive in Datasette."""
    from archive.demo import run_demo

    archive_to_write("demo", db_path)
    if not no_serve:
        usable_port("demo", "127.0.0.1", port)
    sys.exit(run_demo(db_path, port=port, serve=not no_serve))


@cli.command()
@db_option
def verify(db_path: Path) -> None:
    """Re-hash every stored file and image and check WARC digests; exit 1 naming each mismatch."""
    from archive.verify import verify_archive

    archive_to_read("verify", db_path)
    problems, checked = verify_archive(db_path)
    for problem in problems:
        click.echo(f"MISMATCH {problem}", err=True)
    click.echo(f"checked {checked} items, {len(problems)} problems")
    sys.exit(1 if problems else 0)


@cli.command(name="import")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cdx", "cdx_urls", multiple=True, metavar="URL", help="A CDX server to list captures from.")
@click.option(
    "--cdx-api",
    type=click.Choice(["ia", "pywb"]),
    default=None,
    help="Which CDX API the server speaks (default: from its address, /cdx/search/cdx is the IA's).",
)
@click.option(
    "--replay", default=None, metavar="URL", help="Replay prefix for raw captures, if not derivable."
)
@click.option(
    "--host",
    "hosts",
    multiple=True,
    metavar="NAME",
    help="Host names whose captures to list (default: both names of the site).",
)
@click.option("--site", default=DEFAULT_SITE, show_default=True, help="The site the captures are of.")
@db_option
@click.option(
    "--all-captures", is_flag=True, help="Import every distinct capture as a version, oldest first."
)
@click.option(
    "--from", "start", default=None, metavar="DATE", help="Only captures from this date (YYYY[-MM[-DD]])."
)
@click.option("--to", "end", default=None, metavar="DATE", help="Only captures up to this date (inclusive).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0.01),
    default=20.0,
    show_default=True,
    help="Requests a minute to each archive host, at most.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait after a 429 or 503, doubling on each further one.",
)
@click.option("--max-file-mb", type=click.FloatRange(min=0.001), default=50.0, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress display, only errors (for cron).")
# Rows per page of an IA listing; only tests need a smaller page than the default.
@click.option("--cdx-page-size", type=click.IntRange(min=1), default=None, hidden=True)
def import_(
    files: tuple[Path, ...],
    cdx_urls: tuple[str, ...],
    cdx_api: str | None,
    replay: str | None,
    hosts: tuple[str, ...],
    site: str,
    db_path: Path,
    all_captures: bool,
    start: str | None,
    end: str | None,
    rate: float,
    backoff: float,
    max_file_mb: float,
    quiet: bool,
    cdx_page_size: int | None,
) -> None:
    """Rebuild the archive from web archives: WARC/WACZ files and CDX servers (IA, pywb)."""
    from archive.cdx import CdxError, CdxServer
    from archive.defaults import SITE_HOST_NAMES
    from archive.importer import CdxSource, WarcFileSource, run_import
    from archive.lock import ArchiveLocked, archive_lock
    from archive.normalize.dates import bound_timestamp
    from archive.polite import ArchiveUnavailable, PoliteClient
    from archive.warcsource import UnreadableArchive

    if not files and not cdx_urls:
        raise click.UsageError("give WARC/WACZ files, or --cdx URL")
    for path in files:
        if not path.is_file():
            raise click.BadParameter(f"{path} does not exist", param_hint="FILES")
    try:
        start_ts, end_ts = bound_timestamp(start, upper=False), bound_timestamp(end, upper=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from/--to") from None
    try:
        sources: list[Any] = [WarcFileSource(path) for path in files]
        client = PoliteClient(rate_per_minute=rate, backoff_seconds=backoff)
        names = hosts or tuple(dict.fromkeys([_host(site), *SITE_HOST_NAMES]))
        for url in cdx_urls:
            server = CdxServer(url, client, flavor=cdx_api, replay_prefix=replay)
            if cdx_page_size:
                server.page_size = cdx_page_size
            sources.append(CdxSource(server, names))
    except (UnreadableArchive, CdxError, ValueError) as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        with archive_lock(db_path):
            result = run_import(
                sources,
                site,
                db_path,
                all_captures=all_captures,
                start=start_ts,
                end=end_ts,
                quiet=quiet,
                max_file_mb=max_file_mb,
            )
            _enrich_after_crawl(db_path, quiet=quiet)
    except ArchiveLocked as exc:
        click.echo(f"tdkt import: {exc}", err=True)
        sys.exit(3)
    except UnreadableArchive as exc:
        click.echo(f"tdkt import: {exc}", err=True)
        sys.exit(2)
    except (ArchiveUnavailable, CdxError) as exc:
        click.echo(f"tdkt import: {exc}; run the same command later to go on", err=True)
        sys.exit(4)
    counts = result.counts
    if result.summary is None and result.problem:
        click.echo(f"tdkt import: {result.problem}", err=True)
        sys.exit(result.code)
    if not quiet:
        click.echo(
            f"captures listed anew: {result.listed_new}; delivered: {counts.delivered} "
            f"({counts.read_from_source} read from the source, {counts.read_from_copy} from the archive's "
            f"copy); linked but never captured: {counts.not_captured}; orphans read: {counts.orphans}; "
            f"captures of other hosts: {counts.other_hosts}"
        )
    if result.problem:  # the archive stopped answering mid-import
        click.echo(f"tdkt import: {result.problem}; run the same command later to go on", err=True)
        sys.exit(4)
    sys.exit(result.code)


@cli.command()
@db_option
@click.option(
    "--wacz",
    "wacz_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the archive's WARC files as this WACZ package (ReplayWeb.page, pywb).",
)
@click.option("--title", default=None, help="Title of the package (datapackage.json).")
def export(db_path: Path, wacz_path: Path, title: str | None) -> None:
    """Package the archive for the web-archiving world: WACZ with CDXJ index, pages and digests."""
    from archive.wacz import export_wacz, validate_wacz

    if not db_path.exists():
        raise click.BadParameter(f"{db_path} does not exist", param_hint="--db")
    try:
        counts = export_wacz(db_path, wacz_path, title=title)
    except FileNotFoundError as exc:
        click.echo(f"tdkt export: {exc}", err=True)
        sys.exit(2)
    problems = validate_wacz(wacz_path)
    for problem in problems:
        click.echo(f"INVALID {problem}", err=True)
    click.echo(
        f"{wacz_path}: {counts['warc_files']} WARC files, {counts['index_lines']} index lines, "
        f"{counts['pages']} pages; {'valid' if not problems else f'{len(problems)} problems'}"
    )
    sys.exit(1 if problems else 0)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


def _attach_replica_command() -> None:
    try:
        from replica.cli import replica_command
    except ImportError:  # the replica is part of this repository; only a broken checkout lacks it
        return
    cli.add_command(replica_command, "replica")


_attach_replica_command()

if __name__ == "__main__":
    cli()
