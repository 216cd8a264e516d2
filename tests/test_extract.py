"""Subjects, metrics, lists and `respectively` on real financial sentences
(table: tests/cases/subjects.yaml), and time carried across sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from factcheck.ingest import parse_document
from factcheck.normalize import extract_claims

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "subjects.yaml").read_text(encoding="utf-8"))


def claims_of(text: str, rules, published: dt.date | None = None):
    doc = parse_document(text, "t.md", suffix=".md", published=published)
    return extract_claims(doc, rules)


@pytest.mark.parametrize("name", list(CASES))
def test_subject_case(name, rules):
    case = CASES[name]
    text = "\n\n".join([*case.get("context", []), case["sentence"]])
    claims = [c for c in claims_of(text, rules) if c.sentence == case["sentence"]]
    for want in case.get("expect", []):
        matching = [c for c in claims if c.text == want["text"] and c.subject == want.get("subject", c.subject)]
        assert matching, f"no claim {want} in {[(c.text, c.subject, c.metric) for c in claims]}"
        got = matching[0]
        for key, value in want.items():
            assert getattr(got, key) == value, (key, got)
    for text_ in case.get("absent", []):
        aligned = [c for c in claims if c.text == text_ and c.subject is not None and c.metric is not None]
        assert not aligned, aligned


def test_day_carries_within_its_paragraph_only(rules):
    # "Thursday's session" dates the sentences of its own paragraph; the next paragraph has
    # no time of its own and gets none (issue 9: a day carries only within its paragraph,
    # unless it opens its sentence as a frame: see the next test).
    text = (
        "Corvane Freight and Halvern Steel each lost more than 10% in Thursday's session. "
        "Kestrel closed down 7.42%, Borealis fell 4.37%.\n\n"
        "Veyra dropped 3.16%."
    )
    claims = {c.text: c for c in claims_of(text, rules)}
    assert claims["4.37%"].period is not None and claims["4.37%"].period.weekdays == (3,)
    assert claims["4.37%"].evidence["period"] == "carried"
    assert claims["3.16%"].period is None


def test_carried_day_resolves_against_publication_date(rules):
    text = "On July 1, 2026, markets were calm.\n\nThe Philadelphia Semiconductor Index plunged over 6%."
    sox = [c for c in claims_of(text, rules) if c.text == "over 6%"][0]
    assert sox.subject == "Philadelphia Semiconductor Index"
    assert sox.period.start == dt.date(2026, 7, 1) == sox.period.end


def test_heading_stops_the_carry(rules):
    text = "On July 1, 2026, Meta shares rose 9%.\n\n## Later\n\nMicron shares fell 3%."
    micron = [c for c in claims_of(text, rules) if c.text == "3%"][0]
    assert micron.period is None


def test_a_headings_figure_is_a_claim_of_its_own(rules):
    text = (
        "# Halvern Motors to buy Corvane Labs for $4.2 billion\n\n"
        "Halvern Motors agreed on Monday to buy the battery maker Corvane Labs for $4.15 billion in cash.\n\n"
        "Corvane Labs shares rose 18%."
    )
    claims = claims_of(text, rules, published=dt.date(2026, 3, 4))
    title = [c for c in claims if c.text == "$4.2 billion"]
    assert len(title) == 1 and title[0].metric == "deal_value" and title[0].evidence.get("sentence") == "heading"
    assert title[0].subject in ("Halvern Motors", "Corvane Labs")
    body = [c for c in claims if c.text == "$4.15 billion"][0]
    assert "sentence" not in body.evidence


def test_a_title_cased_heading_reads_only_known_names(rules):
    text = (
        "# What Halvern's $4 Billion Corvane Takeover Means For Electric Truck Buyers\n\n"
        "Halvern Motors agreed to buy Corvane Labs for $4.15 billion."
    )
    title = [c for c in claims_of(text, rules) if c.text == "$4 Billion"]
    # no phrase of the title taken for a company ("Corvane Takeover Means For Electric Truck Buyers")
    assert title and title[0].subject in (None, "Halvern Motors", "Corvane Labs"), title


def test_a_heading_neither_gives_nor_takes_a_day(rules):
    text = (
        "Ostrava Freight named a new chief executive.\n\n"
        "On Tuesday, Ostrava Freight shares fell 3%.\n\n"
        "## Ostrava Freight shares jump 12%\n\n"
        "## Ostrava Freight shares jump 14% on Friday\n\n"
        "Ostrava Freight shares fell 2%."
    )
    claims = {c.text: c for c in claims_of(text, rules, published=dt.date(2026, 6, 12))}
    assert claims["3%"].period.start == dt.date(2026, 6, 9)
    assert claims["12%"].period is None or claims["12%"].period.start != dt.date(2026, 6, 9)
    assert claims["14%"].period.start == dt.date(2026, 6, 12)
    assert claims["2%"].period is None or claims["2%"].period.start != dt.date(2026, 6, 12)


def test_year_does_not_carry_to_a_share_move(rules):
    text = "Meta expects capital expenditure of $145 billion in 2026.\n\nMeta shares rose 9%."
    move = [c for c in claims_of(text, rules) if c.text == "9%"][0]
    assert move.metric == "share_move" and move.period is None


def test_weekday_resolves_with_publication_date(rules):
    claims = claims_of("Kestrel Motors shares fell 8.81% on Wednesday.", rules, published=dt.date(2026, 7, 1))
    assert claims[0].period.start == dt.date(2026, 7, 1)
    assert claims[0].published == dt.date(2026, 7, 1)


def test_time_goes_to_the_figure_it_belongs_to(rules):
    text = (
        "In 2026, spending by the three largest lenders is set to climb to "
        "about $315 billion, up 42% from approximately $222 billion in 2025."
    )
    years = {c.text: c.period.year if c.period else None for c in claims_of(text, rules) if "$" in c.text or "%" in c.text}
    assert years == {"about $315 billion": 2026, "42%": 2026, "approximately $222 billion": 2025}


def test_day_after_a_to_figure_belongs_to_both(rules):
    text = "Germany's 10-year Bund yield fell 6 basis points to 2.41% on Thursday."
    claims = {c.text: c for c in claims_of(text, rules, published=dt.date(2026, 7, 23))}
    assert claims["6 basis points"].period.start == dt.date(2026, 7, 23)
    assert claims["6 basis points"].unit == "percentage_point" and claims["6 basis points"].value == pytest.approx(0.06)


@pytest.mark.parametrize(
    "name, ok",
    [("Quorvia", True), ("Deutsche Bank", True), ("Halvern Holdings", True), ("Core CPI", False),
     ("Stock Buyback", False), ("Price Index", False), ("Bank", False), ("FY25", False), ("Wall Street", False)],
)
def test_which_capitalised_phrases_may_be_an_articles_own_name(name, ok, rules):
    from factcheck.extract.claims import _name_vocabulary

    assert _name_vocabulary(rules).may_name(name) is ok


def test_a_figure_cut_off_at_the_end_of_an_excerpt_is_no_claim(rules):
    # A scraped excerpt stops mid-sentence: "$3" may have been "$3.2 billion".
    cut = claims_of("Its oil division did well, with profits of $2.1 billion.\n\nThe gas unit also did well, generating profits of $3", rules)
    assert [c.text for c in cut] == ["$2.1 billion"]
    whole = claims_of("Its oil division did well, with profits of $2.1 billion.\n\nThe gas unit made profits of $3 billion.", rules)
    assert [c.text for c in whole] == ["$2.1 billion", "$3 billion"]


@pytest.mark.parametrize(
    ("text", "code", "currency"),
    [
        ("The stock first traded at $41.20 U.S. on the exchange.", "U.S.", True),
        ("It paid $4 billion US for the stake.", "US", True),
        ("Harlow closed at $41.20. U.S. futures slipped.", "U.S.", False),  # two sentences run together
        ("The fund holds $20 billion in U.S. bonds.", "U.S.", False),
    ],
)
def test_a_country_code_after_an_amount_names_its_currency(text, code, currency):
    from factcheck.extract.entities import EntityMention, names_currency

    start = text.index(code)
    mention = EntityMention(start, start + len(code), "United States", "country", False)
    assert names_currency(text, mention) is currency
