"""The fast subset of the benchmarks (bench/README.md), with their bars, so a regression
fails CI: NewsQuant's money-and-percent scoring, the seeds, the corpus and a generated
archive of 100 articles. No timing is asserted (machines differ); the full runs, with
time and memory, are bench/*.py.

Parts that need ../shared skip when it is not beside the checkout; the corpus and the
generated archive always run.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "bench"))

from common import score_gold  # noqa: E402

from factcheck.cli import main as cli_main  # noqa: E402
from generate import generate  # noqa: E402

NEWSQUANT = SHARED / "eval" / "newsquant" / "NewsQuant.json"

# Measured floors (docs/benchmarks.md: 93.5 / 92.2 on the subset, 92.6 whole-set value F1,
# rounded down); a drop below them is a regression. The whole-set floor is also issue 9's
# "keep" line (value F1 >= 0.92).
NEWSQUANT_SUBSET_FLOORS = {"value": 0.93, "value+unit": 0.92}
NEWSQUANT_WHOLE_VALUE_FLOOR = 0.92
# A target not reached yet (see docs/benchmarks.md for the failure classes).
NEWSQUANT_SUBSET_TARGET = 0.95


def check_json(*args: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli_main(["check", *args, "--format", "json", "--nli", "off", "--fail-on", "never", "--no-cache"])
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def newsquant_scores():
    if not NEWSQUANT.exists():
        pytest.skip("../shared/eval/newsquant is not beside this checkout")
    import newsquant_bench as nb

    gold = nb.load_gold()
    preds, _ = nb.factcheck_predictions([t for t, _ in gold])
    whole, _ = nb.score(gold, preds)
    subset, _ = nb.score(gold, preds, subset=True)
    f1 = lambda t, c: nb.prf(t.tp[c], t.n_pred, t.n_gold)[2]  # noqa: E731
    return {
        "whole": {c: f1(whole, c) for c in nb.CRITERIA},
        "subset": {c: f1(subset, c) for c in nb.CRITERIA},
        "n_subset": subset.n_gold,
    }


def test_newsquant_money_and_percent_floors(newsquant_scores) -> None:
    assert newsquant_scores["n_subset"] == 369
    for criterion, floor in NEWSQUANT_SUBSET_FLOORS.items():
        assert newsquant_scores["subset"][criterion] >= floor, (criterion, newsquant_scores["subset"])
    assert newsquant_scores["whole"]["value"] >= NEWSQUANT_WHOLE_VALUE_FLOOR, newsquant_scores["whole"]


@pytest.mark.xfail(reason="subset value+unit target not reached yet; failure classes in docs/benchmarks.md", strict=False)
def test_newsquant_subset_unit_target(newsquant_scores) -> None:
    assert newsquant_scores["subset"]["value+unit"] >= NEWSQUANT_SUBSET_TARGET


def test_generated_archive_n100(tmp_path: Path) -> None:
    """The scale benchmark's smallest run: planted-conflict recall >= 0.99, no error outside the plan."""
    gold = generate(tmp_path / "archive", 100, seed=7)
    assert len(list((tmp_path / "archive").glob("*.md"))) == 100
    assert gold["conflicts"], "the seed must plant some conflicts"
    report = check_json(str(tmp_path / "archive"))
    s = score_gold(gold, report["findings"])
    assert s["recall"] >= 0.99, s["missed"]
    assert not s["false_alarms"] and not s["unlabeled_errors"], (s["false_alarms"], s["unlabeled_errors"])
    # Restatements at another precision are rounding warnings now (FC103): only errors must
    # all be planted.
    assert s["error_precision"] >= 0.95


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", 30, seed=11)
    generate(tmp_path / "b", 30, seed=11)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    generate(tmp_path / "c", 30, seed=12)
    assert (tmp_path / "c" / "expected.yaml").read_bytes() != (tmp_path / "a" / "expected.yaml").read_bytes()
