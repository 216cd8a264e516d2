"""sentence_spans consumes runs of abbreviations that cannot end a sentence ("Mr. ",
"A. ", "U.S. ", "Inc. ") in one match (issue 10): one _ends_sentence call per
abbreviation cost about 0.4 s per megabyte of them. The splitter as it was, every
candidate judged by _ends_sentence, lives on here as the reference it must equal.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from factcheck.ingest import sentences
from factcheck.ingest.sentences import _CANDIDATE, _ends_sentence, _trimmed, sentence_spans

from test_entity_find import RUNS  # pytest puts this folder on sys.path

ROOT = Path(__file__).parents[2]
FILES = sorted(
    p for d in ("corpus", "tests/cases") if (ROOT / d).is_dir()
    for p in (ROOT / d).rglob("*") if p.suffix in (".md", ".txt", ".html")
)

HOSTILE = [
    *RUNS,
    "Mr. " * 5_000,
    "Mr.  \n\t " * 2_000 + "The end.",
    "A. The B. C. D. the e. F.G. H.I.J. Shares K. 5 L. (M. \"N. ¡O. Ölund P. Q.",
    "Dr. Smith met Gen. Jones and Sen. (Mary) Lee. Apple Inc. Shares rose. Apple Inc. The end.",
    "e.g. This i.e. That vs. Them approx. 5 no. 5 Jan. 5 Jan. The U.S. The U.S. Steel U.K. firms.",
    "MR. SMITH. MRS. JONES. ST. LOUIS. INC. THE. CO. LTD. Corp. Analysts said.",
    "Mr.\u00a0Smith. Mr.\u2003Jones. A.\u3000B. \u212aelvin. A. \u212aELVIN. A. The, A. The,, A. Thee",
    "日本。Mr. Smith. 中国。 A. B。C. 東京！ U.S. The",
    "1. Revenue grew. 2. Costs fell. 10. Margins. 100. Done.",
]

WORDS = [
    "Mr.", "mr.", "MRS.", "Dr.", "e.g.", "i.e.", "vs.", "v.", "V.", "A.", "a.", "Z.", "U.S.", "u.s.", "U.S.A.",
    "Inc.", "INC.", "Co.", "etc.", "Jr.", "No.", "Jan.", "p.", "The", "the", "THE", "The,", "Shares", "Smith",
    "smith", "5", "5.", "1.", "(A.", "\"Mr.", "“Dr.", "*U.S.*", "`A.`", "Ölund", "über", "\u212aelvin", "ſtar",
    "İnc.", "end!", "end?", "end.\"", "end.)", "end...", "…", "。", "！", "(", "\"", "A.B.C.D.E.", "ABC.", "Ab.Cd.",
]


def _reference(text: str) -> list[tuple[int, int]]:
    """sentence_spans as it was: every candidate judged by _ends_sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _ends_sentence(text, match, start):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(text)))
    return _trimmed(text, spans)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_files_split_as_before(path):
    text = path.read_text(encoding="utf-8")
    assert sentence_spans(text) == _reference(text)
    for paragraph in text.split("\n\n"):
        assert sentence_spans(paragraph) == _reference(paragraph)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_split_as_before(text):
    assert sentence_spans(text) == _reference(text)


@pytest.mark.parametrize("seed", range(40))
def test_random_abbreviation_soup_splits_as_before(seed):
    rng = random.Random(seed)
    words = [rng.choice(WORDS) + rng.choice([" ", " ", " ", "  ", "\n", "\u00a0", ""]) for _ in range(400)]
    text = "".join(words)
    assert sentence_spans(text) == _reference(text)


def test_a_run_of_abbreviations_is_one_match():
    text = "Mr. " * 1_000 + "A. " * 1_000 + "U.S. " * 1_000 + "rose 5%."
    skips = [m for m in sentences._SPLIT.finditer(text) if m.start("skip") >= 0]
    assert len(skips) == 1
    assert sentence_spans(text) == [(0, len(text))]


def test_only_the_kelvin_sign_lowercases_to_ascii():
    """_ascii_caseless relies on it: any other such character would let a word of
    _STARTERS go unrecognised and an abbreviation be consumed that ends a sentence."""
    odd = [c for c in map(chr, range(0x110000)) if not c.isascii() and c.lower().isascii()]
    assert odd == ["\u212a"]
