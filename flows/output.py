"""Print query results as a table, CSV, JSON or JSON Lines."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from typing import TextIO

import pyarrow as pa

# A table cell longer than this is cut with an ellipsis; csv/json print everything.
MAX_CELL_WIDTH = 60


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def print_rows(table: pa.Table, output_format: str, out: TextIO) -> None:
    rows = table.to_pylist()
    if output_format == "jsonl":
        for row in rows:
            out.write(json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
    elif output_format == "json":
        json.dump([{k: _jsonable(v) for k, v in row.items()} for row in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif output_format == "csv":
        writer = csv.writer(out)
        writer.writerow(table.column_names)
        writer.writerows([[_jsonable(v) for v in row.values()] for row in rows])
    else:
        _print_table(table, rows, out)


def _natural_width(names: list[str], rows: list[dict]) -> int:
    """The width that shows every column whole, up to MAX_CELL_WIDTH per column."""
    from rich.cells import cell_len

    widths = [cell_len(name) for name in names]
    for row in rows or []:
        for index, value in enumerate(row.values()):
            widths[index] = max(widths[index], min(MAX_CELL_WIDTH, cell_len(str(_jsonable(value)))))
    return max(20, sum(widths) + 3 * len(widths))


def _print_table(table: pa.Table, rows: list[dict], out: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    view = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in table.column_names:
        view.add_column(name, overflow="ellipsis", no_wrap=True, max_width=MAX_CELL_WIDTH)
    for row in rows:
        view.add_row(*("NULL" if v is None else str(_jsonable(v)).replace("\n", "⏎") for v in row.values()))
    console = Console(file=out, width=_natural_width(table.column_names, view.rows and rows), highlight=False,
                      soft_wrap=False)
    console.print(view)
    console.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
