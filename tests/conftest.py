from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.rules import load_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# CI=1 is the test command's way of saying "a missing browser is a failure"; factcheck
# reads CI too (under CI its cache leaves the checkout), so each test runs without it
# unless it sets it, and the suite remembers it here.
RUNNING_IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(autouse=True)
def _local_run(tmp_path_factory, monkeypatch):
    """Each test as a developer's run on their machine: no CI, and a user cache folder
    (factcheck's key, and the cache under CI) of its own, never the real ~/.cache."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("FACTCHECK_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))


@pytest.fixture(scope="session")
def rules():
    return load_rules(REPO / "rules")
