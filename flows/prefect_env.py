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
    return not os.environ.get("PREFECT_API_URL")




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
