"""Properties of ingest -> extract -> report over random articles (issue 10).

Random text mixed with finance tokens, random front matter and dates, in every format:
the CLI exits 0, 1 or 2 only, never with a traceback; json is valid JSON; every claim's
position lies inside its file; a cached run reports exactly what an uncached one does.
Bounded for CI (FACTCHECK_FUZZ_EXAMPLES raises it; bench/fuzz.py runs it long).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")  # the test extra installs it; a bare venv skips

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from factcheck.report.escape import log_line  # noqa: E402

from test_hostile import assert_inert  # noqa: E402  (pytest puts this folder on sys.path)

EXAMPLES = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "200"))

TOKENS = st.sampled_from(
    [
        "Kestrel Motors", "Acme Corp", "shares", "rose", "fell", "revenue", "profit", "$", "€", "%",
        "1.25", "8.81%", "9%", "$10 million", "$1.2 billion", "bps", "Q1 2026", "last week", "on Wednesday",
        "in 2025", "Mr.", "U.S.", "Inc.", ".", ",", "\n", "\n\n", "<!--", "-->", "<!-- factcheck: ignore -->",
        "::error::x", "##[stop-commands]", "\x1b[31m", "\u202e", "\t", "#", "- ", "> ", "|", "*", "`", "<p>", "</p>",
        "9" * 40, "0.000001", "-5%", "about", "nearly",
    ]
)
WORDS = st.one_of(TOKENS, st.text(min_size=1, max_size=12))
BODY = st.lists(WORDS, max_size=60).map(" ".join)
DATES = st.one_of(
    st.dates().map(str), st.sampled_from(["2026-13-45", "0000-01-01", "9999-12-31", "0001-01-01", "yesterday", "[1, 2]", "&a x"])
)
FRONT = st.one_of(
    st.just(""),
    st.builds(lambda d, t: f"---\ndate: {d}\ntitle: {t}\n---\n", DATES, st.text(max_size=20)),
    st.text(max_size=40).map(lambda t: f"---\n{t}\n---\n"),
)
ARTICLE = st.tuples(FRONT, BODY, st.sampled_from(["md", "txt", "html"]))


@pytest.fixture(scope="module")
def loaded_rules():
    from factcheck.rules import load_rules

    return load_rules()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(articles=st.lists(ARTICLE, min_size=1, max_size=3), fmt=st.sampled_from(["json", "github", "text"]))
def test_random_articles_never_crash_and_stay_well_formed(loaded_rules, articles, fmt):
    # The API with rules loaded once (the CLI reloads pint per run: 300 runs would take
    # minutes); the CLI's own guard is covered by the hostile cases.
    from factcheck.api import check
    from factcheck.gate.config import Settings
    from factcheck.report import FORMATS

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, (front, body, suffix) in enumerate(articles):
            (root / f"a{i}.{suffix}").write_text(front + body, encoding="utf-8", errors="surrogatepass")
        texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in root.iterdir()}
        paths = sorted(str(p) for p in root.iterdir())
        base = {"nli": "off", "date": dt.date(2026, 7, 1), "format": fmt}

        def run(**extra):
            report = check(paths, settings=Settings(**base, **extra), rules=loaded_rules)
            return report, FORMATS[fmt](report)

        report, out = run(cache=False)
        assert_inert(out)
        for warning in report.warnings:
            assert_inert(log_line(warning))
        if fmt == "json":
            json.loads(out, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        for finding in report.findings:
            for claim in finding.claims:
                lines = texts[Path(claim.path).name].replace("\r\n", "\n").replace("\r", "\n").split("\n")
                assert 1 <= claim.line <= len(lines)
                assert 1 <= claim.column <= len(lines[claim.line - 1]) + 1
        cache = {"cache_dir": root / ".cache"}
        assert run(**cache)[1] == out and run(**cache)[1] == out  # cold, then warm


# ---------------------------------------------------------------- what a reader sees (issue 30)

INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u202a\u202e\u2066\u2069\ufeff\U000e0041"
SHOWN_TEXT = st.text(alphabet=st.sampled_from(list("0123456789.,%$€ -−+abcQ²\n") + list(INVISIBLE) + list("０１２％＄．，")), max_size=40)


def _width(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c for c in text)


def _visible(text: str) -> str:
    import unicodedata

    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def test_format_chars_are_the_unicode_category():
    import re
    import sys
    import unicodedata

    from factcheck.textguard import FORMAT_CHARS

    pattern = re.compile(f"[{FORMAT_CHARS}]")
    assert all(bool(pattern.match(chr(c))) == (unicodedata.category(chr(c)) == "Cf") for c in range(sys.maxunicode + 1))


@settings(max_examples=EXAMPLES * 5, deadline=None, derandomize=True)
@given(text=SHOWN_TEXT)
def test_as_shown_keeps_what_a_reader_sees_and_joins_each_figure(text):
    import re

    from factcheck.textguard import FORMAT_CHARS, as_shown

    shown = as_shown(text)
    assert as_shown(shown) == shown
    # Nothing visible is added, dropped or changed but the width of a character.
    assert _visible(shown) == _visible(_width(text))
    # No invisible character is left between a digit and the rest of its figure.
    assert not re.search(f"[0-9][{FORMAT_CHARS}]+[0-9.,%]|[0-9.,$€][{FORMAT_CHARS}]+[0-9]", shown), repr(shown)
    if text.isascii():
        assert shown == text
