"""Work that must stay bounded on hostile input (issue 10), checked by behaviour, not time."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from factcheck.models import Claim, Period


def _move(n: int, value: float, path: str, subject: str = "Kestrel Motors") -> Claim:
    return Claim(
        path=path, line=n + 1, column=1, sentence=f"{subject} shares fell {value}% on Monday.", text=f"{value}%",
        value=value, unit="percent", kind="percent", direction="down", subject=subject, metric="share_move",
        period=Period(text="Monday", granularity="day", start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2)),
    )


def test_a_block_too_large_to_compare_pair_by_pair_is_refused_with_its_first_article(rules, monkeypatch):
    """Every pair of a block's figures is a candidate: 20,000 figures of one kind in one
    story would be 200 million comparisons, so the run says so instead of running."""
    from factcheck.compare import compare_block
    from factcheck.errors import FactcheckError

    block = [_move(n, 1 + n % 50, f"{'ab'[n % 2]}.md") for n in range(301)]
    _with_thresholds(rules, monkeypatch, max_block_claims=300)
    with pytest.raises(FactcheckError, match=r"301 percent figures in one story.*max_block_claims \(300\)") as refused:
        compare_block(block, rules)
    assert (refused.value.path, refused.value.line) == ("a.md", 1)
    _with_thresholds(rules, monkeypatch, max_block_claims=301)
    assert isinstance(compare_block(block, rules), list)


MARKDOWN = [
    "---\ndate: 2026-07-01\ntitle: T\n---\n# Kestrel *Motors* [shares](https://x.test) fell\n\n"
    "Kestrel Motors shares fell 8.81% on **Wednesday**, the [company](u \"t\") said. `code` <b>x</b> &amp;\n\n"
    "- item [a][ref] rose 5%\n  continued line\n\n> quoted 3% ![img](i.png)\n\n| a | b |\n|---|---|\n| 1% | [x](y) |\n\n"
    "```\nfenced 9%\n```\n\n    indented code\n\n[ref]: https://r.test\n",
    "[" * 300 + "Acme rose 5%" + "]" * 3 + "\n\n" + "*[<`" * 200 + "\nrevenue $10 million <!-- factcheck: ignore -->\n",
]


@pytest.mark.parametrize("text", MARKDOWN + [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parents[2] / "corpus").rglob("*.md"))])
def test_markdown_reads_the_same_without_the_inline_pass(text, monkeypatch):
    """Only block structure is read from markdown-it; its inline pass (links, emphasis) cost
    9 s per megabyte of `[` and must change nothing that ingest returns."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    from factcheck import ingest
    from factcheck.ingest import markdown

    fast = ingest.parse_document(text, "a.md", suffix=".md")
    monkeypatch.setattr(markdown, "_MD", MarkdownIt("commonmark").use(front_matter_plugin).enable("table"))
    assert ingest.parse_document(text, "a.md", suffix=".md") == fast


def _unbounded_verb_name_regex(verbs: tuple[str, ...]):
    """The name pattern before issue 10: quadratic in a capitalised run with no verb."""
    import re

    name = r"[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|&))*"
    body = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(rf"(?<![\w&])({name})(?:['’]s?)?(?:\s+(?:shares|stock|ADR|ADRs))?\s+(?:also\s+|still\s+|then\s+)?(?:{body})\b")


@pytest.mark.parametrize("seed", range(30))
def test_verb_names_up_to_ten_words_are_found_as_before(seed):
    from factcheck.extract.entities import _verb_name_regex

    rng = random.Random(seed)
    # Verbs that are prefixes of each other: the verb alternation is a trie, longest first.
    verbs = ("rose", "rise", "rises", "fell", "fall", "falls", "closed", "close", "closes", "rallied", "ral")
    words = ["Acme", "Kestrel", "Motors", "of", "&", "Mr.", "U.S.", "Corp's", "Bank", "ADR", "shares", "also", "the", "said",
             "rose", "fell", "falls", "fallsx", "close", "closes", "ral", "rallied", "5%", ","]
    text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
    runs = re.findall(r"(?:(?:[A-Z]\S*|of|&)\s+){11,}", text + " ")
    if runs:
        pytest.skip("a run longer than ten words: the bounded pattern names its tail")
    old = [m.span(1) for m in _unbounded_verb_name_regex(verbs).finditer(text)]
    assert [m.span(1) for m in _verb_name_regex(verbs).finditer(text)] == old


def test_a_long_capitalised_run_without_a_verb_names_nothing():
    from factcheck.extract.entities import _verb_name_regex

    assert list(_verb_name_regex(("rose",)).finditer("Mr. " * 50_000 + "is up 5%.")) == []
    thirty = " ".join(f"W{i}" for i in range(30))
    assert [m.group(1) for m in _verb_name_regex(("rose",)).finditer(thirty + " rose 5%.")] == [" ".join(f"W{i}" for i in range(20, 30))]


def _with_thresholds(rules, monkeypatch, **limits) -> None:
    thresholds = rules.policy.thresholds.model_copy(update=limits)
    monkeypatch.setattr(rules, "policy", rules.policy.model_copy(update={"thresholds": thresholds}))


def _many_outlets(n: int) -> list[Claim]:
    """One stock's Monday move told differently by each of `n` outlets."""
    return [_move(0, 2.0 + k * 0.5, f"outlet{k:02d}.md") for k in range(n)]


def _many_stocks(n: int) -> list[Claim]:
    """`n` stocks' Monday moves, each told differently by two outlets: `n` quantities."""
    names = ["Alder Mining", "Birch Foods", "Cedar Airlines", "Dogwood Pharma", "Elm Energy", "Fir Telecom", "Ginkgo Retail",
             "Hazel Insurance", "Ivy Logistics", "Juniper Chemicals"]  # fmt: skip
    return [_move(k, 2.0 + 10 * k + side * 0.7, f"{'ab'[side]}.md", names[k]) for k in range(n) for side in (0, 1)]


def _reporting_every_link(rules):
    """The shipped weights with every linked disagreement reported: the limit is what is tested."""
    from factcheck.compare import RELATIONS
    from factcheck.link import LinkModel, link_model

    spec = link_model(rules).spec
    everything = {r: {"warning": 0.0, "error": 0.0} for r in RELATIONS}
    return LinkModel(spec.model_copy(update={"severity": spec.model_validate({**spec.model_dump(), "severity": everything}).severity}))


def test_findings_stop_at_the_limit_with_one_that_says_so(rules, monkeypatch):
    from factcheck.compare import compare_block

    block = _many_stocks(10)
    model = _reporting_every_link(rules)
    _with_thresholds(rules, monkeypatch, max_findings_per_block=10**6)
    everything = compare_block(block, rules, model=model)
    assert len(everything) > 6, "each stock's two figures disagree"
    _with_thresholds(rules, monkeypatch, max_findings_per_block=5)
    shown = compare_block(block, rules, model=model)
    # Six pairs were judged, and the finding that holds the last one says the rest were not.
    assert sum(len(f.claims) for f in shown) < sum(len(f.claims) for f in everything)
    stopped = [f for f in shown if "; comparison stopped here" in f.message]
    assert len(stopped) == 1 and "more than 5 conflicting pairs in 20 claims" in stopped[0].message


def test_one_quantity_told_by_many_outlets_is_one_finding_that_says_where_it_stopped(rules, monkeypatch):
    from factcheck.compare import compare_block

    block = _many_outlets(12)
    model = _reporting_every_link(rules)
    _with_thresholds(rules, monkeypatch, max_findings_per_block=10**6)
    (everything,) = compare_block(block, rules, model=model)
    assert {c.path for c in everything.claims} == {c.path for c in block}
    _with_thresholds(rules, monkeypatch, max_findings_per_block=5)
    (shown,) = compare_block(block, rules, model=model)
    assert "more than 5 conflicting pairs in 12 claims" in shown.message
    assert len(shown.claims) < len(everything.claims)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "many"])
def test_the_findings_limit_must_be_a_positive_count(bad):
    from pydantic import ValidationError

    from factcheck.rules import Thresholds

    with pytest.raises(ValidationError):
        Thresholds(max_findings_per_block=bad)


# Articles of our own where what a sentence without figures says reaches a later figure:
# a company carried by "its" and "the company", a day that opens a sentence and frames the
# next paragraphs, a deal named far from its offer figure, a money cue in the sentence
# before a figure, a session named at the close. Filler paragraphs between them make
# stretches no figure can be reached from.
_FILLER = "Traders said the mood on the floor was calm, and volumes were thin. "
_CARRY_ARTICLES = [
    "Harlow Freight reported results on Tuesday.\n\n"
    + (_FILLER + "\n\n") * 6
    + "On Tuesday, Harlow Freight's chief executive spoke to investors.\n\n"
    "Analysts at Pellam Bank were upbeat.\n\nThe company said demand held up.\n\n"
    "Its shares rose 4% in the session.\n\n"
    + (_FILLER + "\n\n") * 5
    + "Ardent Mining agreed to buy Calder Metals, the companies said.\n\n"
    + (_FILLER + "\n\n") * 5
    + "The offer is worth $3.1 billion, a premium of 28%.\n",
    "# Quorvia rallies\n\nQuorvia Systems rose 3.5% on Monday.\n\n"
    + (_FILLER + "\n\n") * 8
    + "Quorvia said it would spend heavily on data centres next year.\n\n"
    "Capital spending will be $4.2 billion.\n\n"
    + (_FILLER + "\n\n") * 4
    + "On Wednesday, stocks closed lower.\n\nThe retailer lost 2.1%.\n",
]


@pytest.mark.parametrize(
    "text,suffix",
    [(t, ".md") for t in _CARRY_ARTICLES]
    + [(p.read_text(encoding="utf-8"), p.suffix) for p in sorted((Path(__file__).parents[2] / "corpus").iterdir()) if p.suffix in (".md", ".txt", ".html")],
)
def test_sentences_out_of_reach_of_any_figure_change_no_claim(text, suffix, rules, monkeypatch):
    """A sentence without figures is read in full only where what it carries (a company,
    a day, a deal, a metric cue) can reach a figure; the claims equal those of reading
    every sentence in full."""
    from factcheck.extract import claims as extract
    from factcheck.ingest import parse_document
    from factcheck.normalize import extract_claims

    document = parse_document(text, "a" + suffix, suffix=suffix, published=dt.date(2026, 3, 11))
    reached = extract_claims(document, rules)
    assert reached, "each article has claims to compare"
    monkeypatch.setattr(extract, "_sentences_in_reach", lambda document, *_: set(range(len(document.sentences))))
    assert [c.model_dump() for c in extract_claims(document, rules)] == [c.model_dump() for c in reached]


def test_prose_without_figures_builds_no_sentence_context_past_its_lead(rules, monkeypatch):
    """1 MB of prose without a figure cost 4 s when every sentence built its context; only
    the lead paragraph and the few paragraphs before a figure build one now, and none
    after the last figure or deal sentence."""
    from factcheck.extract import claims as extract
    from factcheck.ingest import parse_document
    from factcheck.normalize import extract_claims

    built = []
    context = extract._SentenceContext

    def counting(sentence, *args, **kwargs):
        built.append(sentence.text)
        return context(sentence, *args, **kwargs)

    monkeypatch.setattr(extract, "_SentenceContext", counting)
    prose = "Kestrel Motors shares fell sharply on Wednesday, the company said.\n\n" * 2_000
    assert extract_claims(parse_document(prose, "a.md", suffix=".md", published=dt.date(2026, 3, 11)), rules) == []
    assert built == []  # no figure and no deal after the lead: nothing it carries is read
    built.clear()
    claims = extract_claims(parse_document(prose + "Kestrel Motors fell 3% on Wednesday.\n", "a.md", suffix=".md", published=dt.date(2026, 3, 11)), rules)
    assert [(c.subject, c.value, c.direction) for c in claims] == [("Kestrel Motors", 3.0, "down")]
    assert len(built) == 1 + 4  # the lead, and the figure with the three paragraphs before it


def test_a_run_of_name_characters_is_its_own_subject_and_names_still_join():
    """canonical_subjects scans the prefixes of each name for a shorter name to join; a run
    of name-like characters ("A&A&A&...") is no company name, stays its own subject, and is
    scanned only up to the longest name a company has."""
    from factcheck.extract.entities import canonical_subjects

    run = "A&" * 5_000 + "A"
    mapping = canonical_subjects([run, run + " Group", "Exxon", "Exxon Mobil Corp", "ExxonMobil"])
    assert mapping[run] == run
    assert mapping["Exxon Mobil Corp"] == mapping["ExxonMobil"] == "Exxon"


def test_a_clause_of_many_figures_is_searched_once_for_its_time_words(rules, monkeypatch):
    """A sentence of 8,000 dollar figures cost 30 s at 100 KB: each figure searched its whole
    clause for "a year earlier" and "in the quarter". Each clause is searched once a pattern
    now, whatever the number of figures in it."""
    from factcheck.extract import claims as extract
    from factcheck.ingest import parse_document
    from factcheck.normalize import extract_claims

    searched: list[tuple[str, int, int]] = []

    class Counting:
        def __init__(self, name: str, pattern: re.Pattern):
            self.name, self.pattern = name, pattern

        def search(self, text: str, pos: int = 0, endpos: int = 2**63 - 1):
            searched.append((self.name, pos, endpos))
            return self.pattern.search(text, pos, endpos)

    for name in ("_RELATIVE_TIME", "_THE_QUARTER"):
        monkeypatch.setattr(extract, name, Counting(name, getattr(extract, name)))
    text = "Kestrel Motors said revenue was " + ", ".join(f"${i} million" for i in range(1, 400)) + " a year earlier."
    claims = extract_claims(parse_document(text, "a.md", suffix=".md", published=dt.date(2026, 3, 11)), rules)
    assert len(claims) >= 300
    assert searched  # the figures did ask
    assert len(searched) == len(set(searched))  # and no clause was searched twice for one pattern


def test_a_sentence_of_names_and_figures_reads_each_figure_near_its_place(rules, monkeypatch):
    """One name and one figure after another, a sentence of them: each figure tried every
    name of the sentence as its subject and every earlier figure as one it is set against,
    slicing the text between them (10 KB of them took 46 s and grew as the cube). The
    patterns that read those stretches are asked a few times a figure now, however long
    the sentence."""
    from factcheck.extract import cues
    from factcheck.ingest import parse_document
    from factcheck.normalize import extract_claims

    asked: list[str] = []

    class Counting:
        def __init__(self, name: str, pattern: re.Pattern):
            self.name, self.pattern = name, pattern

        def __getattr__(self, method: str):
            asked.append(self.name)
            return getattr(self.pattern, method)

    names = ("_COMPARED", "_CUE_GAP", "_FOR_SUBJECT", "_IN_SUBJECT", "_OBJECT_BEFORE")
    for name in names:
        monkeypatch.setattr(cues, name, Counting(name, getattr(cues, name)))
    figures = 300
    text = "Intel rose 5%, " * figures + "and closed higher."
    claims = extract_claims(parse_document(text, "a.md", suffix=".md", published=dt.date(2026, 3, 11)), rules)
    assert len(claims) == figures
    assert {c.subject for c in claims} == {"Intel"}
    assert len(asked) <= 3 * figures, {name: asked.count(name) for name in names}


def _counting_ratio(monkeypatch) -> list[int]:
    from factcheck.extract import retold

    calls = [0]
    ratio = retold.fuzz.token_set_ratio

    class Counting:
        @staticmethod
        def token_set_ratio(a, b):
            calls[0] += 1
            return ratio(a, b)

    monkeypatch.setattr(retold, "fuzz", Counting)
    return calls


def test_searching_for_a_second_telling_compares_a_bounded_number_of_paragraphs(monkeypatch):
    """Every pair of an article's long paragraphs is compared (extract/retold.py): past
    `retold_max_paragraphs` none is, and each comparison reads a paragraph's opening only."""
    from factcheck.extract.retold import RetoldLimits, second_telling
    from factcheck.ingest import parse_document

    calls = _counting_ratio(monkeypatch)
    paragraph = " ".join(f"The board of Halvern met on day {k} and agreed to review the plan for its fleet." for k in range(200))
    limits = RetoldLimits(paragraphs=4, words=12, similarity=85, figure_similarity=75, max_paragraphs=100)
    at_bound = parse_document("\n\n".join([paragraph] * 100), "a.txt", suffix=".txt", max_sentences=10**6)
    assert second_telling(at_bound.sentences, limits) == []  # one paragraph a hundred times: no run in order
    assert calls[0] == 100 * 99 // 2
    calls[0] = 0
    over = parse_document("\n\n".join([paragraph] * 101), "a.txt", suffix=".txt", max_sentences=10**6)
    assert second_telling(over.sentences, limits) == [] and calls[0] == 0


def test_a_passage_with_too_many_figures_to_pair_is_left_unpaired(monkeypatch):
    from factcheck.extract.retold import counterparts

    calls = _counting_ratio(monkeypatch)
    figures = [("percent", f"shares of unit {k} rose # on the day") for k in range(60)]
    assert counterparts(figures, figures, 75, most=2500) == {}
    assert calls[0] == 0
    assert counterparts(figures[:50], figures[:50], 75, most=2500) == {k: k for k in range(50)}


def test_a_line_cut_into_many_pieces_is_judged_as_site_furniture_once():
    """Inline comments and tags cut a line into pieces, and each piece asked whether its
    line is a line repeated across the corpus, stripping the whole line each time: a
    megabyte line of 80,000 comments was quadratic. The line is judged once."""
    from factcheck.ingest.blocks import Block, line_pieces
    from factcheck.ingest.boilerplate import clean_blocks

    class Counted(list):
        reads = 0

        def __getitem__(self, index):
            Counted.reads += 1
            return super().__getitem__(index)

    line = "Halvern rose 5% <!-- note --> " * 1000
    block = Block("para", line_pieces(line.strip(), 1, 1))
    assert len(block.pieces) == 1000
    kept = clean_blocks([block], Counted([line]), frozenset({"Subscribe to our newsletter"}))
    assert len(kept) == 1 and len(kept[0].pieces) == 1000
    assert Counted.reads <= 2
