"""`docarchive show`, `docarchive stats`, `docarchive schema`: looking inside the archive.

Registered on the main group in flows/cli.py. Nothing heavy is imported at module level (the
queries live in warehouse/inspection.py and warehouse/catalog.py, imported inside each
command), so `docarchive --help` stays fast. Library errors become messages here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from warehouse.inspection import DocumentReport

_WAREHOUSE_HELP = "Archive directory [default: $DOCARCHIVE_WAREHOUSE or ./warehouse]."
_warehouse_option = click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path), help=_WAREHOUSE_HELP)


def _archive(warehouse: Path | None):
    from warehouse import Archive, default_warehouse

    return Archive(warehouse if warehouse is not None else default_warehouse())


def _json(content) -> str:
    """JSON for people and programs: UTF-8 as is, timestamps in ISO 8601."""
    return json.dumps(content, ensure_ascii=False, indent=1,
                      default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))


@contextmanager
def _archive_errors() -> Iterator[None]:
    """Turn the library's typed errors into a one-line message and exit code 1."""
    from warehouse import ArchiveError

    try:
        yield
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error


# --- show ----------------------------------------------------------------------------------
@click.command()
@click.argument("doc_id")
@_warehouse_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--text/--no-text", "show_text", default=True, show_default=True, help="Print the clean text.")
def show(doc_id: str, warehouse: Path | None, output_format: str, show_text: bool) -> None:
    """Show one document: its metadata, its text, and every removal with its rule.

    DOC_ID is a document id, or its first characters when they name only one. The removals
    answer "why did this line disappear?": each is the text a cleaning rule took out, with
    the rule's name and reason, in order.

    \b
    docarchive show 5ccd9ac97e85
    docarchive show 5ccd9ac97e85 --no-text --format json
    """
    from warehouse.inspection import document_report

    with _archive_errors():
        report = document_report(_archive(warehouse), doc_id)
    if output_format == "json":
        content = vars(report).copy()
        if not show_text:
            content["document"] = {k: v for k, v in report.document.items() if k != "text"}
        click.echo(_json(content))
        return
    click.echo("\n".join(_document_lines(report)))
    if show_text:
        click.echo(f"\n── text ({report.document['char_count']} characters) ──")
        click.echo(report.document["text"])
    click.echo("\n".join(_removal_lines(report.removals)))


def _document_lines(report: DocumentReport) -> list[str]:
    doc, source = report.document, report.source or {}
    fields = [
        ("doc_id", doc["doc_id"]),
        ("title", doc["title"]),
        ("source", f"{doc['source_path']}" + (f" (part {doc['part_index']})" if doc["part_index"] else "")),
        ("file", f"sha256 {doc['source_sha256'][:16]}…, {source.get('size_bytes', '?')} bytes, "
                 f"encoding {doc['encoding']}"),
        ("site", doc["site"]),
        ("url", doc["source_url"]),
        ("published", doc["published_at"]),
        ("truncated", "yes: the page showed only a preview" if doc["is_truncated"] else "no"),
        ("status", _status(report)),
        ("split note", doc["split_note"]),
        ("run", f"{doc['run_id']} (ingested {doc['ingested_at']:%Y-%m-%d %H:%M:%S})"),
    ]
    return [f"{name:<11} {value}" for name, value in fields if value is not None]


def _status(report: DocumentReport) -> str:
    doc = report.document
    if doc["superseded_at"] is not None:
        state = f"superseded {doc['superseded_at']:%Y-%m-%d %H:%M:%S} (its file changed since)"
    elif report.canonical is not None:
        canonical = report.canonical
        state = f"duplicate of {canonical['doc_id']} ({canonical['source_path']}: {canonical['title']})"
    else:
        state = "canonical"
    current = [copy for copy in report.copies if copy["superseded_at"] is None]
    if current:
        state += f"; {len(current)} cop{'y' if len(current) == 1 else 'ies'}: " + ", ".join(
            f"{copy['doc_id']} ({copy['source_path']})" for copy in current)
    return state


def _removal_lines(removals: list[dict]) -> list[str]:
    if not removals:
        return ["\n── removed: nothing ──"]
    lines = [f"\n── removed by the cleaning rules ({len(removals)}) ──"]
    for removal in removals:
        lines.append(f"{removal['seq']:>3}  {removal['rule']}: {removal['reason']}")
        lines.extend(f"       {line}" for line in removal["text"].splitlines() or [""])
    return lines


# --- stats ---------------------------------------------------------------------------------
@click.command()
@_warehouse_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(0), default=20, show_default=True,
              help="Quarantined files to list (0: all).")
def stats(warehouse: Path | None, output_format: str, limit: int) -> None:
    """Count documents, duplicates, quarantined files and cleaning-rule hits.

    Documents by site, encoding and year published; duplicates and the largest clusters;
    quarantined files with their reasons; how often each cleaning rule fired. Counts are over
    the archive as it stands: superseded versions of changed files are left out.
    """
    from flows.output import print_rows
    from warehouse.inspection import archive_stats

    with _archive_errors():
        sections = archive_stats(_archive(warehouse), quarantined_files_limit=limit or None)
    if output_format == "json":
        click.echo(_json({title: table.to_pylist() for title, table in sections.items()}))
        return
    for index, (title, table) in enumerate(sections.items()):
        click.echo(("\n" if index else "") + f"── {title} ──")
        if table.num_rows:
            print_rows(table, "table", sys.stdout)
        else:
            click.echo("(none)")
    _hint_more_quarantined(sections, warehouse)


def _hint_more_quarantined(sections: dict, warehouse: Path | None) -> None:
    """Say how to list every quarantined file when --limit left some out."""
    overview = dict(zip(*sections["overview"].to_pydict().values()))
    listed = sections["quarantined files"].num_rows
    if overview["quarantined files"] > listed:
        flag = f" --warehouse {warehouse}" if warehouse else ""
        click.echo(f"… {overview['quarantined files'] - listed} more: docarchive stats --limit 0{flag}")


# --- schema --------------------------------------------------------------------------------
@click.command()
@click.argument("name", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def schema(name: str | None, output_format: str) -> None:
    """Describe the archive's tables and views: columns, types, meanings.

    NAME limits the description to one table or view. The same meanings travel with every
    export, in its schema file.

    \b
    docarchive schema
    docarchive schema documents --format json
    """
    from warehouse.catalog import describe_schema, table_info

    try:
        tables = [table_info(name)] if name else list(describe_schema())
    except KeyError as error:
        raise click.ClickException(error.args[0]) from error
    if output_format == "json":
        click.echo(_json([asdict(table) for table in tables]))
        return
    for index, table in enumerate(tables):
        click.echo(("\n" if index else "") + f"{table.name} ({table.kind}): {table.meaning}")
        width = max(len(column.name) for column in table.columns)
        type_width = max(len(column.type) for column in table.columns)
        for column in table.columns:
            click.echo(f"  {column.name:<{width}}  {column.type:<{type_width}}  {column.meaning}")

