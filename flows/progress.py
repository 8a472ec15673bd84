"""Progress of a long run, reported to whoever listens (the CLI's progress bar), if anyone.

Progress never changes a result; it is the one piece of process-wide state, and it is set
only by the CLI for the duration of a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[tuple[Callable[[int], None], Callable[[int], None]]] = []


@contextmanager
def listening(on_total: Callable[[int], None], on_done: Callable[[int], None]) -> Iterator[None]:
    _listeners.append((on_total, on_done))
    try:
        yield
    finally:
        _listeners.remove((on_total, on_done))


def report_total(files: int) -> None:
    for on_total, _ in _listeners:
        on_total(files)


def report_done(files: int) -> None:
    for _, on_done in _listeners:
        on_done(files)
