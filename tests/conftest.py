"""Shared test set-up: one Prefect home per test session, the sample documents, dev-set paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def pytest_configure(config):
    # Prefect reads its settings at import; every test process shares one project-local home so
    # the temporary server's database is created once, not once per test.
    home = ROOT / ".prefect-test"
    os.environ.setdefault("PREFECT_HOME", str(home))
    # Each run stops its own server, as it did before servers were kept: a kept one outlives the
    # test that started it. tests/ops/test_kept_server.py tests the kept servers.
    os.environ.setdefault("DOCARCHIVE_PREFECT_IDLE_SECONDS", "0")
    from flows.prefect_env import configure

    configure(verbose=False)


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def shared_dir(name: str) -> Path:
    """A real-world dev set under ../shared; tests that need it skip when it is absent."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} is not present on this machine")
    return path
