from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.rules import load_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def rules():
    return load_rules(REPO / "rules")
