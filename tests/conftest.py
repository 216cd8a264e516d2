from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factcheck.rules import load_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
