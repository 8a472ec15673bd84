"""Prefect, tamed for a command-line tool: project-local state, no telemetry, quiet logs.

`import prefect` costs about a second and 80 MiB, so nothing imports it until a flow is about
to run (never for `--help` or `sql`). Its settings are read from the environment at import
time; `configure()` sets them first.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

# Loggers that print at WARNING on a normal run: the events queue draining at exit.
_NOISY_LOGGERS = ("EventsWorker", "prefect.events", "prefect._internal.concurrency")


def prefect_home() -> Path:
    """Where Prefect keeps its database: $PREFECT_HOME if the user set one, else ./.prefect."""
    return Path(os.environ.get("PREFECT_HOME") or Path.cwd() / ".prefect").resolve()


def is_first_run() -> bool:
    """True before Prefect has created its SQLite database (the first run takes ~10 s longer)."""
    return not (prefect_home() / "prefect.db").exists()


def uses_temporary_server() -> bool:
    """True when the run starts its own local server (no PREFECT_API_URL names one)."""
    return not os.environ.get("PREFECT_API_URL")


# How long the local server stays up after a run for the next one (`flows.prefect_server`).
IDLE_SECONDS_VARIABLE = "DOCARCHIVE_PREFECT_IDLE_SECONDS"
DEFAULT_IDLE_SECONDS = 300.0
MIN_IDLE_SECONDS = 5.0


def server_idle_seconds(environ=os.environ) -> float:
    """$DOCARCHIVE_PREFECT_IDLE_SECONDS, else 300; 0 stops the server with the run. A positive
    value below 5 s becomes 5: a run finds the server, then imports Prefect (~1.5 s) before its
    first request, and the server must not stop in between.

    >>> [server_idle_seconds({IDLE_SECONDS_VARIABLE: v}) for v in ("2", "0", "600", "")]
    [5.0, 0.0, 600.0, 300.0]
    """
    raw = environ.get(IDLE_SECONDS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_IDLE_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{IDLE_SECONDS_VARIABLE}={raw!r} is not a number of seconds") from None
    return 0.0 if seconds <= 0 else max(seconds, MIN_IDLE_SECONDS)


def configure(verbose: bool = False) -> None:
    """Set Prefect's environment before it is imported; idempotent."""
    os.environ.setdefault("PREFECT_HOME", str(prefect_home()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false" if uses_temporary_server() else "true")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def quiet_loggers(verbose: bool = False) -> None:
    """After `import prefect`: silence the exit-time warnings unless asked for everything."""
    if verbose:
        return
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def run_settings():
    """Settings for one CLI flow run: no ~1 s wait at exit for the heartbeat thread."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})
