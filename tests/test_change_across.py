"""FC201 across articles: one article's stated change against the from/to figures another
article gives for the same figure, where the link stage links the two "to" figures as one
quantity (compare.change_across, fc201_change.across). Through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck import api
from factcheck import compare as compare_stage
from factcheck.link import SeverityThresholds

STATED = "# Harbor Lines results\n\nHarbor Lines said on Tuesday that revenue rose {change} to $6.3 billion in the third quarter.\n"
FROM_TO = "# {name} beats forecasts\n\nThird-quarter revenue at {name} climbed to $6.3 billion from $5.6 billion, the shipping company said on Tuesday.\n"


def _check(folder: Path, files: dict[str, str], jobs: int = 1) -> list:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = api.check([str(folder)], settings=api.Settings(jobs=jobs, nli="off", cache=False, select=("FC201",)))
    return report.findings


@pytest.mark.parametrize("jobs", [1, 2])
def test_stated_change_against_the_other_articles_from_to(tmp_path: Path, jobs: int):
    found = _check(tmp_path, {"a.md": STATED.format(change="18%"), "b.md": FROM_TO.format(name="Harbor Lines")}, jobs)
    assert [(f.code, f.severity) for f in found] == [("FC201", "error")]
    finding = found[0]
    assert finding.message == "up 18% to $6.3 billion vs 12.5% implied by $5.6 billion → $6.3 billion (other article)"
    assert [(Path(c.path).name, c.text) for c in finding.claims] == [("a.md", "$6.3 billion"), ("b.md", "$5.6 billion"), ("b.md", "$6.3 billion")]
    assert finding.link is not None and finding.link.probability >= 0.4


def test_either_article_may_state_the_change(tmp_path: Path):
    found = _check(tmp_path, {"a.md": FROM_TO.format(name="Harbor Lines"), "b.md": STATED.format(change="18%")})
    assert [Path(c.path).name for f in found for c in f.claims] == ["b.md", "a.md", "a.md"]


def test_a_rounded_change_that_agrees_is_no_finding(tmp_path: Path):
    # $5.6 billion -> $6.3 billion is 12.5%, within what "12%" and the figures allow
    assert _check(tmp_path, {"a.md": STATED.format(change="12%"), "b.md": FROM_TO.format(name="Harbor Lines")}) == []


def test_a_word_change_against_the_other_articles_from_to(tmp_path: Path):
    found = _check(tmp_path, {"a.md": STATED.format(change="").replace("rose  to", "doubled to"), "b.md": FROM_TO.format(name="Harbor Lines")})
    assert [f.message for f in found] == ["doubled to $6.3 billion vs 1.12 times implied by $5.6 billion → $6.3 billion (other article)"]


def test_different_companies_are_not_one_quantity(tmp_path: Path):
    assert _check(tmp_path, {"a.md": STATED.format(change="18%"), "b.md": FROM_TO.format(name="Pellmark Freight")}) == []


def test_not_again_where_the_other_articles_own_arithmetic_is_a_finding(tmp_path: Path):
    own = FROM_TO.format(name="Harbor Lines").replace("climbed to", "climbed 30% to")
    found = _check(tmp_path, {"a.md": STATED.format(change="18%"), "b.md": own})
    assert [(Path(f.claims[0].path).name, f.link) for f in found] == [("b.md", None)]


def test_an_error_only_where_the_link_reaches_the_error_threshold(tmp_path: Path, monkeypatch):
    real = compare_stage.severity_thresholds

    def unsure(model):
        thresholds = real(model)
        return {**thresholds, "near": SeverityThresholds(warning=thresholds["near"].warning, error=1.0)}

    monkeypatch.setattr(compare_stage, "severity_thresholds", unsure)
    found = _check(tmp_path, {"a.md": STATED.format(change="18%"), "b.md": FROM_TO.format(name="Harbor Lines")})
    assert [(f.code, f.severity) for f in found] == [("FC201", "warning")]
