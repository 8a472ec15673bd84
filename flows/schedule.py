"""`docarchive schedule`: serve the ingest flow on a cron or interval schedule.

Prefect's temporary in-process server runs no scheduler, so scheduled runs need a long-lived
`prefect server start` and `PREFECT_API_URL` pointing at it. This command registers a
deployment of the ingest flow on that server, with a concurrency limit of 1 (an overlapping
run is cancelled, or waits with `--on-overlap wait`), and then runs the flow runs the server
schedules, each in a `python -m prefect.engine` subprocess, until it is stopped (Ctrl-C or
SIGTERM); stopping pauses the schedule. The archive's writer lock (warehouse/store.py) keeps
scheduled runs and manual `docarchive ingest` runs apart as well.

Nothing heavy is imported at module level: `docarchive --help` stays fast.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from warehouse import default_warehouse

_NEEDS_SERVER = (
    "scheduled runs need a long-lived Prefect server (the temporary one a single ingest starts "
    "keeps no schedules). Start one, with its state in this project:\n\n"
    "    PREFECT_HOME=$PWD/.prefect prefect server start\n\n"
    "then, in another terminal:\n\n"
    "    export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
    "    docarchive schedule SOURCE --every 3600"
)


def deployment_name(source: Path, warehouse: Path) -> str:
    """A stable deployment name for one (SOURCE, warehouse) pair, readable in Prefect's UI.

    >>> deployment_name(Path("/data/scrapes"), Path("/data/warehouse"))[:8]
    'scrapes-'
    """
    import hashlib

    key = f"{source.resolve()}\0{warehouse.resolve()}".encode()
    return f"{source.resolve().name or 'root'}-{hashlib.sha1(key).hexdigest()[:8]}"


def _check_server(api_url: str) -> None:
    """Fail with instructions unless a Prefect server answers at `api_url`."""
    import httpx

    try:
        response = httpx.get(api_url.rstrip("/") + "/health", timeout=10)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise click.ClickException(
            f"no Prefect server answers at PREFECT_API_URL={api_url} ({error}).\n\n{_NEEDS_SERVER}"
        ) from error


def _build_schedule(cron: str | None, every: float | None):
    from prefect.schedules import Cron, Interval

    if cron is not None:
        try:
            return Cron(cron)
        except ValueError as error:
            raise click.BadParameter(f"{cron!r} is not a cron expression ({error})", param_hint="--cron") from error
    return Interval(every)


class _OverlapNote(logging.Filter):
    """Say in plain words what the runner's 'Aborted submission' lines mean: an overlap."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "Aborted submission" in message and ("'SCHEDULED'" in message or "'CANCELLED'" in message):
            what = ("it waits (state AwaitingConcurrencySlot) and starts when that run ends"
                    if "'SCHEDULED'" in message else
                    "it is cancelled (state Cancelled); the next run picks up whatever it would have")
            record.msg = f"{message}: the previous run of this schedule is still in progress, so {what}"
            record.args = ()
        return True


def _log_overlaps() -> None:
    """Attach the note to the handlers that print the runner's lines (after Prefect set them up)."""
    note = _OverlapNote()
    for name in ("prefect", ""):
        for handler in logging.getLogger(name).handlers:
            handler.addFilter(note)


async def _serve_until_stopped(runner) -> bool:
    """Run `runner` until SIGTERM or Ctrl-C; True when a signal stopped it.

    A signal asks the runner to stop from inside its event loop: its polling ends, runs in
    progress are cancelled, `pause_on_shutdown` pauses the schedule, and `start()` returns.
    (Raising KeyboardInterrupt from the handler instead, or Prefect's own handler, which calls
    sys.exit(), unwinds the loop mid-select and prints tracebacks from its open connections.)
    A second signal while stopping ends the command at once.
    """
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    signalled = []

    def stop_when_started() -> None:
        if runner.started:
            loop.create_task(runner.astop())
        elif not runner.stopping:  # the signal came before the runner finished starting
            loop.call_later(0.1, stop_when_started)

    def on_signal(*_args) -> None:
        if signalled:
            raise KeyboardInterrupt
        signalled.append(True)
        loop.call_soon_threadsafe(stop_when_started)

    # start() installs runner.handle_sigterm for SIGTERM itself.
    runner.handle_sigterm = on_signal
    signal.signal(signal.SIGINT, on_signal)
    await runner.start()
    return bool(signalled)


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path))
@click.option("--cron", metavar="EXPR", help='A cron expression, e.g. "0 * * * *" (every hour, on the hour).')
@click.option("--every", type=click.FloatRange(min=1), metavar="SECONDS", help="Run every SECONDS seconds.")
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path),
              help="Archive directory [default: $DOCARCHIVE_WAREHOUSE or ./warehouse].")
@click.option("--on-overlap", type=click.Choice(["cancel", "wait"]), default="cancel", show_default=True,
              help="A run due while the previous one still runs is cancelled (the next run picks up its "
                   "files), or waits for it.")
@click.option("--name", help="Deployment name in Prefect [default: SOURCE's name and a hash of both paths].")
@click.option("--batch-size", type=click.IntRange(0), default=0, metavar="N",
              help="Files per Prefect task run [default: 0, i.e. 4 batches per worker, 100 to 500 files each].")
@click.option("--max-file-mb", type=click.IntRange(1), default=32, show_default=True,
              help="Files above this size are quarantined unread.")
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's debug logs.")
def schedule(source: Path, cron: str | None, every: float | None, warehouse: Path | None, on_overlap: str,
             name: str | None, batch_size: int, max_file_mb: int, verbose: bool) -> None:
    """Ingest SOURCE on a schedule, served from a running Prefect server.

    \b
    PREFECT_HOME=$PWD/.prefect prefect server start          # in one terminal
    export PREFECT_API_URL=http://127.0.0.1:4200/api         # in another
    docarchive schedule scrapes/ --every 3600
    docarchive schedule scrapes/ --cron "30 2 * * *" --warehouse /data/archive

    Each run ingests only what is new or changed since the last one. Runs never overlap:
    a run that falls due while the previous one is still in progress is cancelled, which
    loses nothing since the next run picks up every file not yet archived (with
    --on-overlap wait it waits instead). A manual `docarchive ingest` into the same
    warehouse is never run at the same time either: whichever comes second waits.
    Stop with Ctrl-C or SIGTERM; the schedule is paused until the command runs again.
    Runs, their logs and each run's `ingest-summary` artifact appear in Prefect's UI
    (the server's address without /api).
    """
    if (cron is None) == (every is None):
        raise click.UsageError("give exactly one of --cron EXPR or --every SECONDS")
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        raise click.ClickException(f"PREFECT_API_URL is not set: {_NEEDS_SERVER}")
    _check_server(api_url)

    warehouse = (warehouse if warehouse is not None else default_warehouse()).resolve()
    source = source.resolve()
    name = name or deployment_name(source, warehouse)
    # Flow runs log at INFO so that their summary shows in the UI; set before Prefect is imported.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "DEBUG" if verbose else "INFO")
    from flows import prefect_env

    prefect_env.configure(verbose)
    the_schedule = _build_schedule(cron, every)

    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import EntrypointType
    from prefect.runner import Runner

    from flows.ingest import IngestSettings, ingest_flow

    settings = IngestSettings(batch_size=batch_size, max_file_mb=max_file_mb)
    strategy = ConcurrencyLimitStrategy.ENQUEUE if on_overlap == "wait" else ConcurrencyLimitStrategy.CANCEL_NEW
    # A deployment (not `runner.add_flow`): each run then imports `flows.ingest` afresh in a
    # `python -m prefect.engine` process, instead of unpickling a copy of the flow function.
    deployment = ingest_flow.to_deployment(
        name=name,
        schedule=the_schedule,
        # The slot of a run whose process dies before it starts is freed after 60 s (the least
        # Prefect allows); a run killed while running keeps it until its 300 s lease expires.
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=strategy, grace_period_seconds=60),
        parameters={"source": str(source), "warehouse": str(warehouse), "settings": settings},
        description=f"docarchive ingest of {source} into {warehouse}",
        tags=["docarchive"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    runner = Runner(name=f"docarchive-{name}", pause_on_shutdown=True)
    deployment_id = runner.add_deployment(deployment)
    _log_overlaps()
    ui = api_url.rstrip("/").removesuffix("/api")
    when = f"cron {cron!r}" if cron is not None else f"every {every:g} s"
    click.echo(
        f"serving {ingest_flow.name}/{name} ({when}): {source} -> {warehouse}\n"
        f"  runs:        {ui}/deployments/deployment/{deployment_id}  (each run's summary: Artifacts, ingest-summary)\n"
        f"  archive:     docarchive sql \"select * from runs order by started_at desc\" --warehouse {warehouse}\n"
        f"  overlapping runs {'wait for the one in progress' if on_overlap == 'wait' else 'are cancelled'}; "
        "stop with Ctrl-C (the schedule is paused until this command runs again)",
        err=True,
    )
    import asyncio

    try:
        asyncio.run(_serve_until_stopped(runner))
    except KeyboardInterrupt:
        click.echo("stopped at once (second signal); the schedule may still be active", err=True)
        raise SystemExit(130) from None
    click.echo("stopped; the schedule is paused", err=True)
