"""The acceptance bar: the seeds' and the corpus's gold, scored by the shared scorer on
the report the real command line produces."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, SHARED

SCORER = SHARED / "tools" / "score_findings.py"


def run_factcheck(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def score(gold, report_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCORER), str(gold), str(report_path)], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "articles, gold",
    [
        pytest.param(SHARED / "seeds", SHARED / "seeds" / "expected.yaml", id="seeds"),
        pytest.param(REPO / "corpus", REPO / "corpus" / "expected.yaml", id="corpus"),
    ],
)
def test_gold_is_met(articles, gold, tmp_path):
    if not SCORER.exists() or not articles.exists():
        pytest.skip("../shared is not beside this checkout")
    result = run_factcheck("check", str(articles), "--format", "json", "--nli", "off")
    assert result.returncode == 1, result.stderr  # the gold has error-level conflicts
    report = tmp_path / "report.json"
    report.write_text(result.stdout, encoding="utf-8")
    scored = score(gold, report)
    assert scored.returncode == 0, scored.stdout
    assert "recall" in scored.stdout and "clean pairs reported as errors 0" in scored.stdout
