"""`tdkt demo`: the whole pipeline offline — serve the bundled replica, crawl it, publish the result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click


def run_demo(db_path: Path, *, port: int, serve: bool) -> int:
    from replica.testing import running_replica

    with running_replica() as replica:
        click.echo(f"Replica of tdkt.thaibinh.gov.vn serving at {replica.base_url}")
        # The crawl runs in its own process: Scrapy's reactor can start only once per process, and this
        # process is busy serving the replica.
        crawl = [sys.executable, "-m", "archive.cli", "crawl", "--site", replica.base_url]
        crawl += ["--db", str(db_path), "--delay", "0", "--concurrency", "8"]
        code = subprocess.call(crawl)
        if code not in (0, 1):
            click.echo(f"tdkt demo: the crawl failed (exit {code})", err=True)
            return code
    if not serve:
        return 0
    from archive.publish import serve as serve_datasette

    click.echo(f"Opening the archive in Datasette at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    return serve_datasette(db_path, port=port, open_browser=True)
