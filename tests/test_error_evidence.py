"""When two articles' figures may be an error and when only a warning (compare/evidence.py),
end to end from text of our own: extraction decides the evidence, the policy the severity."""

from __future__ import annotations

import pytest

import factcheck
from factcheck import Article, Settings


def _article(name: str, date: str, body: str) -> Article:
    return Article(text=f"---\ndate: {date}\n---\n\n{body}\n", name=name)


def _findings(*articles: Article, metric: str | None = None):
    report = factcheck.check(list(articles), settings=Settings(nli="off", cache=False))
    return [f for f in report.findings if metric is None or f.metric == metric]


def _worst(findings) -> str | None:
    order = {"info": 0, "warning": 1, "error": 2}
    return max((f.severity for f in findings), key=order.get, default=None)


def test_day_named_earlier_in_the_paragraph_dates_an_index_move():
    # The second article dates its move in the sentence before; both are the day's move.
    a = _article("a.md", "2025-03-11", "Tokyo's Nikkei 225 tumbled 7.1% on Monday, its worst day in years.")
    b = _article(
        "b.md",
        "2025-03-11",
        "Panic gripped Asian markets on Monday. The Nikkei 225 suffered a drop of 6.2% as exporters slumped.",
    )
    found = _findings(a, b, metric="share_move")
    assert _worst(found) == "error", [f.message for f in found]


def test_carried_day_brings_the_session_it_was_named_with():
    # "lost 1.4%" inherits Wednesday from a premarket sentence: a snapshot, not the close.
    a = _article(
        "a.md",
        "2025-05-14",
        "Halvern Steel climbed 2.5% in premarket dealings on Wednesday. Corvane Systems stock lost 1.4%.",
    )
    b = _article("b.md", "2025-05-14", "Corvane Systems shares fell 4.2% on Wednesday after the deal was announced.")
    claims = factcheck.claims([a], settings=Settings(cache=False))
    carried = next(c for c in claims if c.text == "1.4%")
    assert carried.session == "premarket" and carried.evidence["period"] == "carried"
    found = _findings(a, b, metric="share_move")
    assert found and _worst(found) == "warning", [f.message for f in found]


def test_the_days_high_is_one_number_and_two_highs_conflict():
    a = _article(
        "a.md",
        "2024-06-07",
        "Quillmark, which sold shares at $21 - a price at the top of its target band - rose as high as $31.50 on Thursday and finished at $28.10.",
    )
    b = _article(
        "b.md",
        "2024-06-08",
        "Quillmark's stock closed down 6% at $26.40 on Friday, well below the session high of $29.75 it touched on Thursday.",
    )
    high = next(c for c in factcheck.claims([a], settings=Settings(cache=False)) if "31.50" in c.text)
    # not a bound, not a forecast: the day's high as it happened
    assert (high.metric, high.session, high.qualifier, high.forecast) == ("share_price", "high", "exact", False)
    found = [f for f in _findings(a, b, metric="share_price") if any("31.50" in c.text for c in f.claims)]
    assert _worst(found) == "error", [f.message for f in found]


@pytest.mark.parametrize(
    "phrase, session",
    [("traded as low as $12.05 during the session", "low"), ("touched a session high of $44.10", "high")],
)
def test_extremes_of_the_day_are_their_own_session(phrase, session):
    text = f"Dunmore Labs shares {phrase} on Tuesday."
    claims = factcheck.claims([_article("a.md", "2025-02-12", text)], settings=Settings(cache=False))
    figure = next(c for c in claims if c.kind == "money")
    assert (figure.metric, figure.session) == ("share_price", session)


def test_an_aside_between_dashes_does_not_make_the_figure_a_forecast():
    text = "Ostrava Freight - which analysts expected to struggle - reported revenue of $4.2 billion on Tuesday."
    claims = factcheck.claims([_article("a.md", "2025-02-12", text)], settings=Settings(cache=False))
    revenue = next(c for c in claims if c.text == "$4.2 billion")
    assert revenue.metric == "revenue" and not revenue.forecast


def test_a_national_statistic_is_the_economys_even_when_carried():
    # "Payrolls rose by ..." names no country; the statistic is still the article's economy's.
    a = _article(
        "a.md",
        "2025-02-07",
        "The United States labor market stayed strong.\n\nFor the whole of 2024, the economy added 186,000 jobs a month on average.",
    )
    b = _article(
        "b.md",
        "2025-02-07",
        "The United States labor market cooled in January. Hiring surpassed 2024's monthly average of 166,000 jobs.",
    )
    claims = factcheck.claims([b], settings=Settings(cache=False))
    assert next(c for c in claims if c.text == "166,000").evidence["subject"] in ("carried", "topic")
    found = _findings(a, b, metric="headcount")
    assert _worst(found) == "error", [f.message for f in found]


def test_bounds_either_side_of_one_number_are_a_warning():
    a = _article("a.md", "2023-09-14", "Harlow Robotics was valued at almost $35 billion after its debut on Thursday.")
    b = _article("b.md", "2023-09-14", "Harlow Robotics saw its market value climb to more than $35 billion on Thursday.")
    found = [f for f in _findings(a, b) if f.code == "FC102"]
    assert found and _worst(found) == "warning", [f.message for f in _findings(a, b)]
    assert "below" in found[0].message and "above" in found[0].message


def _price_report(name: str, sentence: str) -> Article:
    return _article(name, "2031-05-14", f"U.S. consumer prices rose 0.6% in April, the Labor Department said. {sentence}")


def test_a_component_one_digit_apart_may_be_the_seasonally_adjusted_series():
    a = _price_report("a.md", "Petrol prices fell 4.3% in April.")
    b = _price_report("b.md", "Pump prices slid 4.4% in April.")
    found = _findings(a, b, metric="inflation")
    assert found and _worst(found) == "warning", [f.message for f in found]
    assert "seasonally adjusted" in found[0].message


def test_a_component_further_apart_is_an_error():
    a = _price_report("a.md", "Petrol prices fell 4.3% in April.")
    b = _price_report("b.md", "Pump prices slid 6.1% in April.")
    found = _findings(a, b, metric="inflation")
    assert _worst(found) == "error", [f.message for f in found]


def test_parts_and_measures_of_a_statistic_never_meet_the_headline():
    a = _price_report("a.md", "Food prices rose 1.2% in April, and core CPI rose 0.3%.")
    b = _article("b.md", "2031-05-14", "U.S. consumer prices climbed 0.6% in April from March.")
    assert _findings(a, b, metric="inflation") == []


def test_the_end_of_a_range_against_a_point_inside_it_is_a_warning():
    a = _article("a.md", "2031-02-03", "Kestrel Motors expects its revenue to fall by as much as 12% in 2031.")
    b = _article("b.md", "2031-02-03", "Kestrel Motors projected a 10% drop in its revenue in 2031.")
    found = _findings(a, b, metric="revenue_growth")
    assert [f.code for f in found] == ["FC102"] and _worst(found) == "warning", [f.message for f in found]
    assert "the most it may be" in found[0].message


def test_a_days_extreme_is_not_set_against_its_close():
    # "as much as" in a market move is the session's extreme: another window than the close
    a = _article("a.md", "2031-02-03", "Kestrel Motors shares fell as much as 9% on Monday.")
    b = _article("b.md", "2031-02-03", "Kestrel Motors shares closed down 6% on Monday.")
    assert not [f for f in _findings(a, b, metric="share_move") if "the most it may be" in f.message]


@pytest.mark.parametrize("first_published, compared", [("2031-02-20", True), ("2030-02-18", False)])
def test_undated_moves_meet_only_within_one_news_cycle(first_published, compared):
    # "The stock was 2% higher before the bell" is about its own day, not any day at all.
    a = _article("a.md", first_published, "Kestrel Motors reported a record quarter. Kestrel Motors stock was 2% higher before the opening bell.")
    b = _article("b.md", "2031-02-20", "Kestrel Motors beat forecasts again. Kestrel Motors stock was 7% higher before the opening bell.")
    found = _findings(a, b, metric="share_move")
    assert bool(found) is compared, [f.message for f in found]
    assert not found or _worst(found) == "warning"


def test_an_order_of_magnitude_in_words_is_never_an_error():
    # "thousands of jobs" is a range only as wide as the words; exact figures on both
    # sides of it still conflict as errors.
    body = "The United States economy added {} jobs in February."
    a = _article("a.md", "2025-03-11", body.format("thousands of"))
    b = _article("b.md", "2025-03-11", body.format("186,000"))
    c = _article("c.md", "2025-03-11", body.format("20,000"))
    found = _findings(a, b, c, metric="headcount")
    vague = [f for f in found if any(cl.text.startswith("thousands") for cl in f.claims)]
    assert vague and _worst(vague) == "warning", [f.message for f in found]
    exact = [f for f in found if f not in vague]
    assert exact and _worst(exact) == "error", [f.message for f in found]


def _topic_article(name: str, date: str, lede: str, body: str, title: str) -> Article:
    return Article(text=f"---\ndate: {date}\ntitle: \"{title}\"\n---\n\n{lede}\n\n{body}\n", name=name)


@pytest.mark.parametrize(
    ("second", "severity"),
    [
        # the same digits under another scale word tie the two figures to one fact
        ("EUR 1.884 million", "error"),
        # a plain difference on the article's topic alone stays a warning
        ("EUR 1.93 billion", "warning"),
    ],
)
def test_digits_decide_what_a_topic_subject_may_carry(second, severity):
    # The second article never names the company in the figure's sentence: its subject is
    # the article's topic.
    a = _article("a.md", "2026-04-23", "Pellinor Telecom said service revenue was EUR 1.884 billion in the first quarter.")
    b = _topic_article(
        "b.md", "2026-04-24", "Pellinor Telecom reported its quarterly numbers on Thursday.",
        f"Service revenue came in at {second} in the first quarter.", "Pellinor Telecom beats forecasts",
    )
    found = _findings(a, b, metric="revenue")
    assert _worst(found) == severity, [f.message for f in found]


def test_a_move_up_to_a_level_is_two_figures_not_a_range():
    claims = factcheck.claims(
        [_article("a.md", "2026-05-05", "Passengers were up 6.1% to 12.3 million in April.")], settings=Settings(cache=False)
    )
    assert sorted(c.text for c in claims) == ["12.3 million", "6.1%"], [c.text for c in claims]


@pytest.mark.parametrize(
    ("second", "severity"),
    [
        # neighbouring digits swapped: one figure mistyped, whether or not it is dated
        ("$6.48 a share", "error"),
        # another figure with no period: perhaps another year's, so a warning
        ("$6.61 a share", "warning"),
    ],
)
def test_an_undated_figure_conflicts_only_when_its_digits_are_swapped(second, severity):
    a = _article("a.md", "2026-02-12", "Quarrow Pharma said it earned $6.84 a share in the fourth quarter.")
    b = _article("b.md", "2026-02-12", f"Quarrow Pharma earned {second}, the company said.")
    found = _findings(a, b, metric="eps")
    assert _worst(found) == severity, [f.message for f in found]


def test_a_yield_level_is_a_snapshot_and_two_swapped_digits_may_be_two_times():
    # A yield moves through the day as a price does: an undated level read before a data
    # release and one read after it may both be right, digits swapped or not.
    a = _article("a.md", "2026-06-05", "Futures were flat before the data. The 10-year Treasury yield was at 4.31%.")
    b = _article("b.md", "2026-06-05", "Treasuries rallied after the data, and the 10-year Treasury yield dropped to 4.13%.")
    found = _findings(a, b, metric="bond_yield")
    assert _worst(found) != "error", [f.message for f in found]


def test_parts_after_of_which_are_never_set_against_the_total():
    a = _article("a.md", "2026-03-02", "Corvane targets synergies of €300 million a year by 2029, of which €210 million are cost savings.")
    b = _article("b.md", "2026-03-02", "Corvane expects annual synergies of €300 million by 2029.")
    found = _findings(a, b, metric="synergies")
    assert not [f for f in found if f.severity == "error"], [f.message for f in found]


def test_an_article_that_also_gives_the_other_figure_does_not_contradict_it():
    # The second article states the first's figure and another it cannot be told apart
    # from; only the third, which states the other figure alone, contradicts the first.
    a = _article("a.md", "2026-10-22", "Kestrel Motors reported revenue of $4.2 billion for the third quarter.")
    b = _article(
        "b.md",
        "2026-10-22",
        "Kestrel Motors reported third-quarter revenue of $4.2 billion. "
        "Kestrel Motors said revenue came to $1.1 billion in the third quarter in its slowest market.",
    )
    c = _article("c.md", "2026-10-22", "Kestrel Motors said revenue came to $1.1 billion in the third quarter.")
    found = _findings(a, b, c, metric="revenue")
    by_paths = {tuple(sorted(c.path for c in f.claims)): f for f in found}
    assert by_paths[("a.md", "c.md")].severity == "error"
    held = by_paths[("a.md", "b.md")]
    assert held.severity == "warning" and "also gives '$4.2 billion'" in held.message


def test_a_scope_the_sentence_does_not_write_holds_an_error_to_a_warning(rules):
    # "a 27% premium" is taken to be over the last close, but only by default: an error
    # needs both sentences to say what the premium is measured against.
    from factcheck.compare.evidence import why_not_error
    from factcheck.models import Claim

    def premium(path, text, value, scope_ev):
        evidence = {"subject": "parse", "metric": "parse", "period": "timeless"} | scope_ev
        return Claim(path=path, line=5, column=1, sentence=f"Quillo holders get {text} premium.", text=text, value=value,
                     resolution=1.0, unit="percent", kind="percent", qualifier="exact", subject="Quillo Systems",
                     metric="premium", scope="last close", evidence=evidence)

    metric = rules.metric_by_id["premium"]
    written = premium("a.md", "27%", 27.0, {})
    assert why_not_error(written, premium("b.md", "35%", 35.0, {}), metric, rules, "FC102") is None
    held = why_not_error(written, premium("c.md", "35%", 35.0, {"scope": "default"}), metric, rules, "FC102")
    assert held is not None and "measured against" in held


# A company fought over may have had several bids: a rival's offer is another deal, and a
# figure of one named bidder meets an unnamed one only where its article names that bidder.
_AGREED = (
    "Tamura Steel agreed to buy Brightmoor Steel for $64 a share in cash.\n\n"
    "That $64 per share price is a 33% premium over Brightmoor Steel's closing price on March 8, 2024."
)
_RIVAL = (
    "Months ago Brightmoor Steel turned down a $5.6 billion offer by Ridgefield Mining.\n\n"
    "The offer from Ridgefield Mining, at $28 per share for Brightmoor Steel stock, was a 37% premium "
    "over their closing price on Friday."
)
_SAME_BIDDER = (
    "Tamura Steel will acquire Brightmoor Steel in an all-cash deal.\n\n"
    "Tamura Steel's offer of $64 per share is a 35% premium over Brightmoor Steel's close on March 8, 2024."
)


def test_a_rival_bidders_offer_is_another_deal():
    found = _findings(_article("agreed.md", "2024-03-11", _AGREED), _article("rival.md", "2024-03-11", _RIVAL))
    assert not [f for f in found if f.metric in ("premium", "deal_value")]


def test_the_same_bidders_offer_still_conflicts():
    found = _findings(_article("agreed.md", "2024-03-11", _AGREED), _article("same.md", "2024-03-11", _SAME_BIDDER), metric="premium")
    assert _worst(found) == "error"


def test_a_named_bidder_against_an_article_naming_no_deal_party_is_a_warning():
    unnamed = "That $64 per share price is a 39% premium over Brightmoor Steel's closing price on March 8, 2024."
    found = _findings(_article("same.md", "2024-03-11", _SAME_BIDDER), _article("bare.md", "2024-03-11", unnamed), metric="premium")
    assert _worst(found) == "warning" and "offer" in found[0].message


# One fact told two ways is a warning; the same figures further apart stay an error.
_TOLD_TWO_WAYS = [
    pytest.param(
        # Both outlets give the company's figure in won and convert it; the dollar figures
        # differ by the rate each used, not by a fact.
        "Halvern Electronics posted third-quarter operating profit of 812 billion won ($587 million).",
        "Halvern Electronics said third-quarter operating profit was 812 billion won ($579 million).",
        "2025-10-08", "operating_profit", "warning", "convert", id="two-conversions-at-different-rates",
    ),
    pytest.param(
        # 17% apart is no difference of exchange rates: one of the two is wrong.
        "Halvern Electronics posted third-quarter operating profit of 812 billion won ($587 million).",
        "Halvern Electronics said third-quarter operating profit was $687 million.",
        "2025-10-08", "operating_profit", "error", "", id="conversion-far-from-the-other-figure",
    ),
    pytest.param(
        # From October 1981 to October 2022 is 41 years, or about 40: outlets count a
        # record's span from different months, and neither is wrong enough for an error.
        "Inflation in Canada rose to a 41-year high of 8.1% in October.",
        "Inflation in Canada climbed to a 40-year high of 8.1% in October.",
        "2026-11-18", "record_span", "warning", "counted from different months", id="record-spans-a-year-apart",
    ),
    pytest.param(
        # An 18-month high and a 14-year high of one month's level cannot both be right.
        "Inflation in Canada rose to an 18-month high of 8.1% in October.",
        "Inflation in Canada climbed to a 14-year high of 8.1% in October.",
        "2026-11-18", "record_span", "error", "", id="record-spans-far-apart",
    ),
]


@pytest.mark.parametrize("first,second,published,metric,worst,reason", _TOLD_TWO_WAYS)
def test_one_fact_told_two_ways_is_a_warning_and_two_facts_an_error(first, second, published, metric, worst, reason):
    found = _findings(_article("a.md", published, first), _article("b.md", published, second), metric=metric)
    assert found and _worst(found) == worst, [f.message for f in found]
    assert reason in found[0].message


def test_spans_of_records_of_different_levels_are_not_compared():
    # The food part's 45-year high is another record than the headline rate's 41-year high.
    a = _article("a.md", "2026-11-18", "Inflation in Canada rose to a 41-year high of 8.1% in October.")
    b = _article("b.md", "2026-11-18", "Food inflation in Canada rose to a 45-year high of 11.4% in October.")
    assert not _findings(a, b, metric="record_span")
