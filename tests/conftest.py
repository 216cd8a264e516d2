from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

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


def yaml_cases(folder: Path):
    """The cases of every FC*.yml table in `folder`, one pytest param each, named after
    the table's rule and the case (sqlfluff's rule fixtures)."""
    for path in sorted(folder.glob("FC*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = data.pop("rule")
        for name, case in data.items():
            yield pytest.param(rule, case, id=f"{rule}-{name}")
