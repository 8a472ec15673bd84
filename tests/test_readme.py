"""The README is tested: every command is documented and has --help, and its examples run as written.

Like sqlite-utils' test_docs.py. The examples run in order, in a temporary directory, against a
copy of the sample archive named by $DOCARCHIVE_WAREHOUSE: `docarchive …` lines of the bash
blocks in-process (with DOC_ID and RUN_ID replaced by real ids), the python blocks with exec.
"""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from flows.cli import main
from tests.conftest import ROOT
from tests.sample_archive import copy_archive, invoke, sample_warehouse
from warehouse import Archive

README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
SETUP_COMMANDS = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/docarchive ingest seeds/ && "
    ".venv/bin/docarchive sql \"select source_path, part_index, title, char_count from documents order by 1, 2\"",
    "python3 -m venv .venv && .venv/bin/pip install -q -e \".[test]\" && .venv/bin/python -m pytest -q",
)


def _blocks() -> list[tuple[str, str]]:
    return [(match.group(1), match.group(2)) for match in _BLOCK.finditer(README)]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme_and_has_help(command):
    assert re.search(rf"`docarchive {command}\b", README), f"`docarchive {command}` is not in the README"
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_the_two_set_up_commands_are_unchanged():
    commands = [code.strip() for language, code in _blocks() if language == "bash"]
    assert list(SETUP_COMMANDS) == commands[:2]


def test_the_readme_examples_run_as_written(tmp_path_factory, tmp_path, monkeypatch, capsys):
    warehouse = copy_archive(sample_warehouse(tmp_path_factory), tmp_path / "warehouse")
    monkeypatch.setenv("DOCARCHIVE_WAREHOUSE", str(warehouse))
    monkeypatch.chdir(tmp_path)
    ids = Archive(warehouse).query(
        "SELECT (SELECT min(doc_id) FROM documents) AS doc_id, "
        "(SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1) AS run_id").to_pylist()[0]
    ran = {"bash": 0, "python": 0}
    for language, code in _blocks():
        if language == "bash":
            for line in _example_command_lines(code):
                args = [ids["doc_id"] if a == "DOC_ID" else ids["run_id"] if a == "RUN_ID" else a
                        for a in shlex.split(line)[1:]]
                result = invoke(*args)
                assert result.exit_code == 0, f"{line}\n{result.output}"
                ran["bash"] += 1
        elif language == "python":
            exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
            assert capsys.readouterr().out, "a README example should show something"
            ran["python"] += 1
    assert ran["bash"] >= 10 and ran["python"] >= 2


def _example_command_lines(code: str) -> list[str]:
    """The `docarchive …` example lines; ingesting is left to the set-up commands."""
    return [line for line in code.splitlines()
            if line.startswith("docarchive ") and not line.startswith("docarchive ingest")]
