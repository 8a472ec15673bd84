"""The `docarchive` command line.

Only this module turns exceptions into messages and exit codes; everything below it raises.
Prefect is imported only by the commands that run a flow, so `--help` and `sql` stay fast.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
from pathlib import Path

import click

from warehouse import Archive, ArchiveError, default_warehouse

_WAREHOUSE_HELP = "Archive directory [default: $DOCARCHIVE_WAREHOUSE or ./warehouse]."


def _archive(warehouse: Path | None) -> Archive:
    return Archive(warehouse if warehouse is not None else default_warehouse())


def _stderr(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="docarchive")
def main() -> None:
    """Turn scraped documents into a clean, deduplicated, queryable archive.

    \b
    docarchive ingest seeds/                 clean and archive every file under seeds/
    docarchive sql "select title from documents"
    docarchive export --format parquet --out out/
    """


# --- ingest --------------------------------------------------------------------------------
@main.command()
@click.argument("source", type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path), help=_WAREHOUSE_HELP)
@click.option("--workers", type=int, default=0, show_default=True, help="Cleaning processes (0: one per core).")
@click.option("--batch-size", type=click.IntRange(0), default=0, metavar="N",
              help="Files per Prefect task run [default: 0, i.e. 4 batches per worker, 100 to 500 files each].")
@click.option("--max-file-mb", type=click.IntRange(1), default=32, show_default=True,
              help="Files above this size are quarantined unread.")
@click.option("--rehash", is_flag=True, help="Hash every file, even when its size and mtime are unchanged.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run cleaning batches on a Dask cluster: a scheduler address, or 'local'.")
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's logs.")
def ingest(source: Path, warehouse: Path | None, workers: int, batch_size: int, max_file_mb: int,
           rehash: bool, dask_address: str | None, verbose: bool) -> None:
    """Clean every .html/.htm/.txt file under SOURCE and add it to the archive.

    Files already archived (same bytes) are skipped, so re-running adds nothing. Files that
    cannot be cleaned are quarantined with the reason (see the `sources` table); the exit
    code is 0 whenever the run itself completed.
    """
    from flows.discover import plan_files

    archive = _archive(warehouse)
    started = time.monotonic()
    try:
        quick = plan_files(source, archive.archived_sources(), {}, rehash=rehash, hash_files=False)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    candidates = len(quick.to_clean) + len(quick.by_status("unreadable"))
    if candidates == 0:
        summary = _record_idle_run(archive, source, len(quick.files), started)
        _print_summary(summary, archive, prefect_used=False)
        return

    from flows import prefect_env

    prefect_env.configure(verbose)
    server = None
    if prefect_env.uses_temporary_server():
        server = _local_server()
        os.environ["PREFECT_API_URL"] = server.api_url  # read by Prefect at import, inherited by workers
    from flows.ingest import IngestSettings, run_ingest  # imports Prefect while the server boots

    if server is not None:
        try:
            server.wait_ready()
        except Exception as error:
            raise click.ClickException(str(error)) from error

    settings = IngestSettings(batch_size=batch_size, workers=workers, max_file_mb=max_file_mb,
                              rehash=rehash, dask=dask_address)
    try:
        with _progress_bar():
            summary = run_ingest(source.resolve(), archive.warehouse.resolve(), settings, candidates, verbose)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:
        if verbose:
            raise
        raise click.ClickException(f"the run failed: {type(error).__name__}: {error} (run with -v for details)") from error
    summary["seconds"] = round(time.monotonic() - started, 2)
    _print_summary(summary, archive, prefect_used=True)


def _local_server():
    """Prefect's local server for this run: one kept warm by an earlier run, else a new one."""
    from flows import prefect_env
    from flows.prefect_server import server_for_run

    try:
        idle = prefect_env.server_idle_seconds()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    first = " (first run: Prefect creates its database, ~15 s)" if prefect_env.is_first_run() else ""
    server = server_for_run(idle)
    if server.reused:
        _stderr(f"Using Prefect's local server kept by an earlier run (pid {server.pid}).")
    elif idle:
        _stderr(f"Starting Prefect's local server{first}; it stays up {idle:.0f} s after the run for the next one "
                f"({prefect_env.IDLE_SECONDS_VARIABLE}=0: stop it with the run; `docarchive stop-server`)…")
    else:
        _stderr(f"Starting Prefect's temporary local server{first}…")
    return server


def _record_idle_run(archive: Archive, source: Path, files_seen: int, started: float) -> dict:
    """A run that found nothing new: recorded in `runs` without starting Prefect."""
    import uuid

    run_id = f"idle-{uuid.uuid4()}"
    archive.start_run(run_id, str(source.resolve()))
    archive.finish_run(run_id, "ok", {"files_seen": files_seen})
    archive.write_parquet_copies()
    return {"run_id": run_id, "files_seen": files_seen, "files_new": 0, "files_changed": 0,
            "files_quarantined": 0, "documents_added": 0, "duplicates_found": 0,
            "files_unchanged": files_seen, "seconds": round(time.monotonic() - started, 2)}


class _progress_bar:
    """A progress bar on stderr while files are cleaned, when stderr is a terminal."""

    def __enter__(self):
        from flows import progress

        self._context = None
        if not sys.stderr.isatty():
            return self
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             transient=True, console=_rich_console(stderr=True))
        self._task = self._bar.add_task("files", total=None)
        self._bar.start()
        self._context = progress.listening(
            lambda total: self._bar.update(self._task, total=total),
            lambda done: self._bar.advance(self._task, done),
        )
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        if self._context is not None:
            self._context.__exit__(*exc)
            self._bar.stop()
        return False


def _rich_console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _print_summary(summary: dict, archive: Archive, prefect_used: bool) -> None:
    lines = [
        f"files seen        {summary['files_seen']:>8}   (new {summary['files_new']}, changed {summary['files_changed']}, "
        f"unchanged {summary.get('files_unchanged', 0)})",
        f"quarantined       {summary['files_quarantined']:>8}"
        + (f"   {_reasons(summary['quarantine_reasons'])}" if summary.get("quarantine_reasons") else ""),
        f"documents added   {summary['documents_added']:>8}",
        f"duplicates found  {summary['duplicates_found']:>8}",
        f"time              {summary['seconds']:>7.1f}s" + ("" if prefect_used else "   (nothing new: Prefect not started)"),
        f"archive           {archive.path}",
    ]
    click.echo("\n".join(lines))
    if summary["files_quarantined"]:
        click.echo(f'why: docarchive sql "select source_path, error from sources where status = \'quarantined\'"'
                   f"{_warehouse_flag(archive)}")


def _reasons(reasons: dict) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(reasons.items(), key=lambda kv: -kv[1]))


def _warehouse_flag(archive: Archive) -> str:
    return "" if archive.warehouse == default_warehouse() else f" --warehouse {archive.warehouse}"


@main.command("stop-server")
def stop_server() -> None:
    """Stop Prefect's local server kept warm by earlier runs in this PREFECT_HOME.

    It also stops by itself after $DOCARCHIVE_PREFECT_IDLE_SECONDS (default 300) without a
    request; set that to 0 to have each run stop its server when it ends.
    """
    from flows import prefect_env
    from flows.prefect_server import KeptServer

    prefect_env.configure()
    server = KeptServer.running(prefect_env.prefect_home())
    if server is None:
        click.echo(f"no kept Prefect server for {prefect_env.prefect_home()}")
        return
    if not server.stop():
        raise click.ClickException(f"Prefect's local server (pid {server.pid}) did not stop within 10 s")
    click.echo(f"stopped Prefect's local server (pid {server.pid})")


# --- sql -----------------------------------------------------------------------------------
@main.command()
@click.argument("query")
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path), help=_WAREHOUSE_HELP)
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json", "jsonl"]), default="table",
              show_default=True)
def sql(query: str, warehouse: Path | None, output_format: str) -> None:
    """Run QUERY read-only against the archive and print the rows.

    \b
    docarchive sql "select site, count(*) from documents group by 1"
    docarchive sql "select * from documents limit 5" --format jsonl
    """
    import duckdb

    try:
        table = _archive(warehouse).query(query)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    except duckdb.Error as error:
        raise click.ClickException(f"the query failed: {error}") from error
    _print_rows(table, output_format)


def _print_rows(table, output_format: str) -> None:
    from flows.output import print_rows

    print_rows(table, output_format, sys.stdout)


# --- export --------------------------------------------------------------------------------
@main.command()
@click.option("--format", "output_format", type=click.Choice(["parquet", "jsonl"]), required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output directory.")
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path), help=_WAREHOUSE_HELP)
@click.option("--include-duplicates", is_flag=True, help="Export every document, not only canonical copies.")
@click.option("--since", metavar="DATE|RUN_ID",
              help="Only documents that arrived since: ingested at or after DATE (YYYY-MM-DD[THH:MM:SS]), "
                   "or added by runs started after RUN_ID (the export's schema file names the next one).")
def export(output_format: str, out: Path, warehouse: Path | None, include_duplicates: bool, since: str | None) -> None:
    """Write the canonical documents for other projects (Parquet or JSON Lines).

    \b
    Parquet: OUT/documents.parquet/site=<site>/year=<year>/*.parquet (zstd)
    JSONL:   OUT/documents.jsonl, one document per line
    Beside it, OUT/documents.<format>.schema.json: columns, meanings, filter, row count.
    """
    from warehouse.export import export_documents

    try:
        written = export_documents(_archive(warehouse), out, output_format, include_duplicates=include_duplicates,
                                   since=since)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {written.rows} documents to {written.path}")
    click.echo(f"schema: {written.schema_path}")
    if written.next_since:
        click.echo(f"next time, to get only what arrives after this export: --since {written.next_since}")


# --- commands defined in their own modules -------------------------------------------------
# Each module imports nothing heavy at module level, so `--help` stays fast.
# (one line per module: `from flows.cli_x import command; main.add_command(command)`)
from flows.schedule import schedule; main.add_command(schedule)  # noqa: E402, E702
from flows.cli_inspect import schema, show, stats; main.add_command(show); main.add_command(stats); main.add_command(schema)  # noqa: E402, E702


def run() -> None:
    """The `docarchive` command: `main`, then an exit that skips the interpreter's teardown.

    A process that imported Prefect spends ~0.45 s after its last line freeing thousands of
    modules and objects (`import flows.ingest` then exit: 2.82 s, with `os._exit` 2.36 s;
    medians of 6, 2-core machine). Nothing is left for that teardown to do: archive connections
    close at every commit, the other threads are joined and the atexit handlers (Prefect's,
    the temporary server's stop) run here, and the output is flushed. An uncaught exception
    takes the normal way out, traceback and all.
    """
    try:
        main()
        code = 0
    except SystemExit as exiting:
        code = _exit_code(exiting)
    if not (hasattr(threading, "_shutdown") and hasattr(atexit, "_run_exitfuncs")):
        sys.exit(code)  # not CPython: the normal way out
    # What the interpreter itself runs first on its way out, in its order: the executors'
    # exit hooks and the join of every other non-daemon thread, then the atexit handlers.
    threading._shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`docarchive sql … | head`) or stream
            pass
    os._exit(code)


def _exit_code(exiting: SystemExit) -> int:
    """The status `sys.exit(x)` would give: None is 0, a number itself, else print it and 1."""
    if exiting.code is None or isinstance(exiting.code, int):
        return exiting.code or 0
    print(exiting.code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    run()
