"""The link stage on real extraction: candidates, comparison levels, assignment, the
weights file, and the link explanation every linked finding carries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import factcheck
from factcheck import link
from factcheck.compare import compare_linked
from factcheck.errors import RulesError
from factcheck.gate.config import Settings
from factcheck.link.comparisons import COMPARISONS, comparison_vector
from factcheck.link.model import LinkModel
from factcheck.models import Finding

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

FIRST = """---
date: 2024-10-24
---

Harrow Logistics said on Thursday that revenue rose 8% to $4.2 billion in the third quarter.

Its shares gained 3% in early trading.
"""

SECOND = """---
date: 2024-10-24
---

Harrow Logistics reported third-quarter revenue of $4.5 billion, up 9% from a year earlier.

The company also said it would cut 1,200 jobs.
"""


@pytest.fixture(scope="module")
def claims():
    articles = [factcheck.Article(text=FIRST, name="first.md"), factcheck.Article(text=SECOND, name="second.md")]
    return factcheck.claims(articles, settings=Settings(nli="off", cache=False, jobs=1))


def _by_text(claims, text):
    return next(c for c in claims if c.text == text)


def test_candidates_pair_only_quantities_of_one_kind(claims, rules):
    pairs = [p for block in link.group_by_key(claims).values() for p in link.candidate_pairs(block, rules)]
    assert pairs, "two articles about one quarter give candidate pairs"
    assert all(a.kind == b.kind for a, b in pairs)
    # the two figures of one sentence are the writer's own contrast, never a candidate
    assert all((a.path, a.line) != (b.path, b.line) for a, b in pairs)


def test_comparison_levels_read_the_same_quantity_as_such(claims):
    revenue_a, revenue_b = _by_text(claims, "$4.2 billion"), _by_text(claims, "$4.5 billion")
    vector = comparison_vector(revenue_a, revenue_b)
    assert set(vector) == {c.name for c in COMPARISONS}
    assert vector["subject"] in ("same_in_sentence", "same_inferred", "alias")
    assert vector["metric"] in ("same", "same_inferred")
    assert vector["period"] in ("same", "same_inferred", "compatible", "compatible_inferred")
    assert vector["articles"] == "same_day"
    # every level is one the comparison declares
    for comparison in COMPARISONS:
        assert vector[comparison.name] in comparison.levels


def test_a_revenue_figure_links_to_revenue_not_to_a_job_count(claims, rules):
    revenue_a = _by_text(claims, "$4.2 billion")
    linked = link.links([c for c in claims if c.kind == "money"], rules)
    partners = [lk.b if lk.a is revenue_a else lk.a for lk in linked if revenue_a in (lk.a, lk.b)]
    assert [p.text for p in partners] == ["$4.5 billion"]


def test_assignment_gives_a_figure_at_most_one_partner_per_article(claims, rules):
    for block in link.group_by_key(claims).values():
        linked = link.links(block, rules)
        seen = set()
        for lk in linked:
            for own, other in ((lk.a, lk.b), (lk.b, lk.a)):
                key = (own.path, own.line, own.text, other.path)
                assert key not in seen
                seen.add(key)


def test_a_linked_finding_explains_its_link(claims, rules):
    findings = [f for block in link.group_by_key(claims).values() for f in compare_linked(block, rules)]
    revenue = [f for f in findings if {c.text for c in f.claims} == {"$4.2 billion", "$4.5 billion"}]
    assert revenue, "the two revenue figures of one quarter disagree"
    explained = revenue[0].link
    assert explained is not None and 0 < explained.probability <= 1
    assert explained.contributions and explained.summary.endswith(f"{explained.probability:.2f}")
    # the explanation survives the JSON report's round trip
    assert Finding.model_validate_json(revenue[0].model_dump_json()).link == explained


def test_weights_naming_an_unknown_level_are_refused_with_the_file(tmp_path, rules):
    bad = (ROOT / "rules" / "linkage.yaml").read_text(encoding="utf-8").replace("    subject:\n", "    subject:\n      psychic: 1.0\n", 1)
    (tmp_path / "linkage.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(RulesError, match="assignment.weights.subject: psychic is no level"):
        LinkModel.load(tmp_path)


@pytest.mark.skipif(not (SHARED / "eval" / "realnews").is_dir(), reason="needs the labelled groups in ../shared")
def test_training_reproduces_the_shipped_weights():
    run = subprocess.run([sys.executable, "bench/train_linkage.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_finding_of_a_check_explains_its_link_in_text_json_and_html():
    from factcheck.report.html import render_run
    from factcheck.report.text import render_text

    articles = [factcheck.Article(text=FIRST, name="first.md"), factcheck.Article(text=SECOND, name="second.md")]
    report = factcheck.check(articles, settings=Settings(nli="off", cache=False, jobs=1))
    assert report.findings
    for finding in report.findings:
        assert finding.link is not None and finding.link.summary.endswith(f"→ {finding.link.probability:.2f}")
    text = render_text(report)
    assert text.count("  link: ") == len(report.findings)
    page = render_run(report)
    assert page.count('class="waterfall"') == len(report.findings)


def test_a_price_per_share_meets_the_same_price_written_bare(rules):
    offer = "---\ndate: 2025-06-02\n---\n\nTolland Foods agreed to pay $41 a share for Wexbury Mills.\n"
    retold = "---\ndate: 2025-06-02\n---\n\nTolland Foods will pay $44 for each Wexbury Mills share it does not own.\n"
    claims = factcheck.claims(
        [factcheck.Article(text=offer, name="offer.md"), factcheck.Article(text=retold, name="retold.md")],
        settings=Settings(nli="off", cache=False, jobs=1),
    )
    money = [c for c in claims if c.kind == "money"]
    pairs = [p for block in link.group_by_key(money).values() for p in link.candidate_pairs(block, rules)]
    pair = next((a, b) for a, b in pairs if {a.text, b.text} == {"$41 a share", "$44"})
    assert pair[0].unit != pair[1].unit and link.rate_omitted(*pair)
