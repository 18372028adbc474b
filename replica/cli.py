"""`tdkt replica`: serve the replica on 127.0.0.1 until Ctrl-C or SIGTERM."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from types import FrameType

import click

from replica.render import THEMES
from replica.server import ReplicaServer
from replica.site import build_site


@click.command(name="replica")
@click.option(
    "--port", type=int, default=8022, show_default=True, help="Port on 127.0.0.1 (0 = any free port)."
)
@click.option(
    "--state",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="1 = the site as crawled first; 2 = a few weeks later (new, edited, removed items).",
)
@click.option(
    "--faults", is_flag=True, help="Fail the first request of ~10% of paths (5xx, stalls, truncation...)."
)
@click.option(
    "--items",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Number of items, static pages included (default 420; 3 per category at least, so 90).",
)
@click.option("--theme", type=click.Choice(THEMES), default="classic", show_default=True)
@click.option("--seed", type=int, default=2022, show_default=True)
@click.option("--stall-seconds", type=float, default=10.0, show_default=True)
@click.option(
    "--scans",
    type=click.IntRange(0, 1000),
    default=0,
    show_default=True,
    help="Award decisions served as scanned PDFs (page images, no text; read only by OCR).",
)
@click.option(
    "--hostile-scans",
    is_flag=True,
    help="One award decision also links two PDFs whose page image is a bomb (to be refused).",
)
@click.option(
    "--ground-truth",
    "ground_truth_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the ground truth JSON here before serving.",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append the request log here instead of stderr.",
)
def replica_command(
    port: int,
    state: int,
    faults: bool,
    items: int | None,
    theme: str,
    seed: int,
    stall_seconds: float,
    scans: int,
    hostile_scans: bool,
    ground_truth_path: Path | None,
    log_path: Path | None,
) -> None:
    """Serve a replica of tdkt.thaibinh.gov.vn on 127.0.0.1 (the offline test bed)."""
    from archive.ports import bind_error, port_problem

    problem = port_problem("127.0.0.1", port)  # before building the site, which takes a while
    if problem is not None:
        click.echo(f"tdkt replica: {problem}", err=True)
        sys.exit(2)
    site = build_site(
        state=state, items=items, theme=theme, seed=seed, scans=scans, hostile_scans=hostile_scans
    )
    if ground_truth_path is not None:
        ground_truth_path.write_text(
            json.dumps(site.ground_truth(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        click.echo(f"ground truth written to {ground_truth_path}", err=True)
    stream = log_path.open("a", encoding="utf-8") if log_path else sys.stderr
    try:
        server = ReplicaServer(site, port, faults=faults, stall_seconds=stall_seconds, log_stream=stream)
    except OSError as exc:  # taken in the meantime: a busy port is the operator's to change
        click.echo(f"tdkt replica: {bind_error(exc, '127.0.0.1', port)}", err=True)
        sys.exit(2)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"replica (state {state}, theme {theme}) serving on {server.base_url}", err=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if log_path:
            stream.close()
