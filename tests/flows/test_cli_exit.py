"""`docarchive` leaves through `flows.cli.run`, which skips the interpreter's teardown with
`os._exit`: the exit status and every byte of output must come out as a normal exit gives them."""

from __future__ import annotations

import json
import subprocess
import sys

from warehouse import Archive

DOCARCHIVE = [sys.executable, "-m", "flows.cli"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DOCARCHIVE, *args], capture_output=True, text=True, timeout=120)


def test_a_long_output_arrives_whole_through_a_pipe(tmp_path):
    Archive(tmp_path).initialize()
    result = _run("sql", "select range as n from range(50000)", "--warehouse", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["n"] for row in rows] == list(range(50000))


def test_exit_statuses_are_those_of_a_normal_exit(tmp_path):
    missing = _run("sql", "select 1", "--warehouse", str(tmp_path / "nothing-here"))
    assert missing.returncode == 1
    assert "no archive at" in missing.stderr

    assert _run("no-such-command").returncode == 2
    version = _run("--version")
    assert version.returncode == 0 and "version 0.1.0" in version.stdout


def test_exit_code_follows_sys_exit():
    from flows.cli import _exit_code

    assert [_exit_code(SystemExit(value)) for value in (None, 0, 3)] == [0, 0, 3]
    assert _exit_code(SystemExit("a message")) == 1
