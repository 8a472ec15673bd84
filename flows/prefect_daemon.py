"""Prefect's local API server, kept warm between runs: it stops itself once idle.

    python -m flows.prefect_daemon --port PORT --idle-seconds N --state-file PATH

Started by `flows.prefect_server.KeptServer`, never by hand. It serves the same app as
Prefect's own temporary server (`prefect.server.api.server:create_app`, ephemeral: no UI, no
background services) under uvicorn, wrapped in `ActivityTracker`. The server stops when no
request or websocket has been open for N seconds: a flow run keeps its events websocket open
from start to end, so a long run never looks idle however long its batches take. On the way
out it deletes its state file (if that still names this process), so no run finds a server
that is gone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import time
from pathlib import Path


class ActivityTracker:
    """ASGI middleware: how many requests and websockets are open, and since when none is.

    >>> tracker = ActivityTracker(app=None)
    >>> tracker.idle_seconds() < 1
    True
    """

    def __init__(self, app) -> None:
        self.app = app
        self.open_connections = 0
        self.last_closed = time.monotonic()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        self.open_connections += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open_connections -= 1
            self.last_closed = time.monotonic()

    def idle_seconds(self) -> float:
        return 0.0 if self.open_connections else time.monotonic() - self.last_closed


def forget(state_file: Path, pid: int) -> None:
    """Delete the state file if it names process `pid` (a newer server may have replaced it)."""
    try:
        if json.loads(state_file.read_text(encoding="utf-8")).get("pid") == pid:
            state_file.unlink()
    except (OSError, ValueError):
        pass


async def serve(port: int, idle_seconds: float, state_file: Path) -> None:
    import uvicorn
    from prefect.server.api.server import create_app

    tracker = ActivityTracker(create_app())
    server = uvicorn.Server(uvicorn.Config(tracker, host="127.0.0.1", port=port, log_level="error", lifespan="on"))

    async def stop_when_idle() -> None:
        tracker.last_closed = time.monotonic()  # the idle clock starts when the app is built
        while not server.should_exit:
            await asyncio.sleep(min(1.0, idle_seconds / 4))
            if tracker.idle_seconds() >= idle_seconds:
                server.should_exit = True

    watchdog = asyncio.create_task(stop_when_idle())
    try:
        await server.serve()
    finally:
        watchdog.cancel()
        forget(state_file, os.getpid())


def _exit_on_signal(signum, frame) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m flows.prefect_daemon", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--idle-seconds", type=float, required=True)
    parser.add_argument("--state-file", type=Path, required=True)
    args = parser.parse_args(argv)
    # uvicorn shuts down gracefully on SIGTERM and SIGINT, then raises the signal again under the
    # handler it found: with the default one the process would die before forgetting its state.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, _exit_on_signal)
    try:
        asyncio.run(serve(args.port, args.idle_seconds, args.state_file))
    finally:
        forget(args.state_file, os.getpid())


if __name__ == "__main__":
    main()
