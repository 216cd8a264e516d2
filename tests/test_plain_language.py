"""What an editor reads never shows the code's own names: no metric ids, comparison levels,
`open:` readings or file names in messages, link lines, help lines or `factcheck rule`
texts. The ids stay in the JSON report's fields."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import factcheck
from conftest import REPO, SHARED
from factcheck.link.comparisons import COMPARISONS, VALUE
from factcheck.present import LINK_WORDS, describe_claim

# Words of the code: snake_case ids, module names, "open:operator"-style readings.
INTERNAL = re.compile(r"[A-Za-z]_[A-Za-z]|\.py\b|\b[a-z]+:[a-z]")
# An article's path, with the line and column after it: the reader's own file names.
PATH = re.compile(r"\S+\.(?:md|markdown|txt|html?)(?::\d+)*:?")


def _editor_lines(report: str) -> list[str]:
    """Every line of a text report but the quoted sentences, article paths taken out."""
    return [PATH.sub("PATH", line) for line in report.splitlines() if not line.startswith('      "')]


def test_every_link_level_has_words():
    levels = {(c.name, level) for c in (*COMPARISONS, VALUE) for level in c.levels}
    assert levels - set(LINK_WORDS) == set(), "add words for these to factcheck/present.py LINK_WORDS"
    assert not [words for words in LINK_WORDS.values() if INTERNAL.search(words)]


@pytest.mark.parametrize("folder", [SHARED / "seeds", SHARED / "eval" / "realnews"], ids=["seeds", "realnews"])
def test_the_text_report_on_real_articles_shows_no_internal_names(folder, tmp_path):
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside this checkout")
    run = subprocess.run(
        [sys.executable, "-m", "factcheck", "check", str(folder), "--nli", "off", "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode in (0, 1), run.stderr
    lines = _editor_lines(run.stdout)
    assert any(line.startswith("  link: ") for line in lines)
    leaks = [line for line in lines if INTERNAL.search(line)]
    assert leaks == [], "\n".join(leaks[:10])


def test_rule_texts_read_as_plain_english(tmp_path):
    for args in (["rule"], *(["rule", f"FC10{n}"] for n in range(1, 6))):
        run = subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0
        leaks = [line for line in run.stdout.splitlines() if INTERNAL.search(line) or "yaml" in line]
        assert leaks == [], leaks


def test_basis_points_read_as_written():
    text = "---\ndate: 2026-07-01\n---\n\nThe Bank of Ardmore raised its policy rate by 25 basis points, and the yield rose 12bp.\n"
    claims = factcheck.claims([factcheck.Article(text=text, name="a.md")], settings=factcheck.Settings(cache=False))
    described = {c.text: describe_claim(c) for c in claims}
    assert described["25 basis points"].endswith("25 basis points")
    assert described["12bp"].endswith("12 basis points")


def test_the_corpus_header_names_the_metric_in_words(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "factcheck", "check", "corpus", "--nli", "off", "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert "[Borealis Auto · share-price move]" in run.stdout  # rules/metrics.yaml's label, not "share_move"
    json_run = subprocess.run(
        [sys.executable, "-m", "factcheck", "check", "corpus", "--nli", "off", "--no-cache", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert '"metric": "share_move"' in json_run.stdout and '"metric_label": "share-price move"' in json_run.stdout
