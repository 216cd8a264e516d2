"""An article that tells its story twice (a page holding two translations of one wire
story, a text pasted in again with a line edited): each figure of the second telling
states the quantity of its counterpart in the first, and where the two differ the article
contradicts itself (extract/retold.py, link.told_twice)."""

from __future__ import annotations

import factcheck
from factcheck.gate.config import Settings

FIRST_TELLING = [
    "Harlow Systems has agreed to rent spare computing capacity to Calder Labs, a deal that analysts said could reshape how cloud providers price their idle chips this year.",
    "Under the agreement Calder Labs will pay a monthly fee of {fee} for access to the clusters, according to two people familiar with the terms of the contract.",
    "Harlow Systems shares rose {move} in morning trading after the announcement, while the wider technology index gained less than one percent on the day.",
    "Brokers at Pellworth Securities wrote that the lease shows demand for older chips remains strong, and that Harlow could recover its spending within {years} years.",
    "The company said it expects the rental business to contribute about {share} of its revenue by the end of next year, up from almost nothing today.",
]
# the same story in other words, as a second translation gives it
SECOND_TELLING = [
    "Harlow Systems has agreed to lease spare computing capacity to Calder Labs, a deal that analysts say could reshape how cloud providers price idle chips this year.",
    "Calder Labs will pay a monthly fee of {fee} for access to the clusters under the agreement, according to two people familiar with the contract terms.",
    "Shares of Harlow Systems rose {move} in morning trading after the announcement, while the wider technology index gained less than one percent that day.",
    "Brokers at Pellworth Securities wrote that the lease shows demand for older chips is still strong, and that Harlow could recover its spending in {years} years.",
    "The company said it expects the rental business to contribute about {share} of revenue by the end of next year, up from almost nothing now.",
]
SAME = {"fee": "$2.4 billion", "move": "4.2%", "years": "three", "share": "15%"}


def _article(first: dict, second: dict) -> factcheck.Article:
    paragraphs = [p.format(**first) for p in FIRST_TELLING] + [p.format(**second) for p in SECOND_TELLING]
    return factcheck.Article(text="---\ndate: 2026-03-04\n---\n\n" + "\n\n".join(paragraphs) + "\n", name="lease.md")


def _check(article: factcheck.Article):
    return factcheck.check([article], settings=Settings(nli="off", cache=False, jobs=1))


def _claims(article: factcheck.Article):
    return factcheck.claims([article], settings=Settings(nli="off", cache=False, jobs=1))


def test_a_figure_the_second_telling_changes_is_an_error_of_the_article():
    report = _check(_article(SAME, {**SAME, "fee": "$92 million"}))
    assert [(f.severity, f.code) for f in report.findings] == [("error", "FC101")]
    finding = report.findings[0]
    assert {c.text for c in finding.claims} == {"$2.4 billion", "$92 million"}
    assert finding.link.contributions[0].comparison == "told_twice"
    assert finding.link.probability >= 0.99


def test_each_figure_of_the_second_telling_names_its_first():
    claims = _claims(_article(SAME, {**SAME, "fee": "$92 million"}))
    first_lines = {c.text: (c.line, c.column) for c in claims if c.line <= 13}
    second = [c for c in claims if c.line > 13]
    assert second and all("retells" in c.evidence for c in second)
    for claim in second:
        counterpart = claim.evidence["retold_figure"]
        assert claim.evidence["retells"] == "{}:{}".format(*first_lines[counterpart])
    fee = next(c for c in second if c.text == "$92 million")
    assert fee.evidence["retold_figure"] == "$2.4 billion"


def test_an_article_told_twice_alike_has_no_finding():
    report = _check(_article(SAME, SAME))
    assert report.findings == []


def test_a_second_telling_whose_figures_mostly_differ_is_another_story():
    # one frame, other figures: last year's deal told in this year's words
    claims = _claims(_article(SAME, {"fee": "$1.1 billion", "move": "2.9%", "years": "five", "share": "8%"}))
    assert not any("retells" in c.evidence for c in claims)
    assert not [f for f in _check(_article(SAME, {"fee": "$1.1 billion", "move": "2.9%", "years": "five", "share": "8%"})).findings if f.severity == "error"]


SEGMENTS = ["bakery", "dairy", "frozen foods", "snacks", "beverages", "pet food", "cereal", "coffee", "soups", "sauces"]


def test_paragraphs_of_one_frame_are_no_second_telling():
    # an earnings story that gives every segment the same sentence
    paragraphs = [
        f"Revenue at the Brightwater Foods {name} unit rose {3 + k}.{k}% to ${1 + k}.{2 * k % 10} billion in the quarter, the company said, "
        f"helped by higher prices across its stores and steady demand from its largest customers."
        for k, name in enumerate(SEGMENTS)
    ]
    article = factcheck.Article(text="---\ndate: 2026-03-04\n---\n\n" + "\n\n".join(paragraphs) + "\n", name="segments.md")
    assert not any("retells" in c.evidence for c in _claims(article))
    assert not [f for f in _check(article).findings if f.link and f.link.contributions and f.link.contributions[0].comparison == "told_twice"]
