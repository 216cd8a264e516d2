"""The spaCy pipeline behind claim understanding: found by name, falling back to the
re-upload, and a missing one is one line naming the setting, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from factcheck.extract.parse import load_pipeline, parse_sentences, pipeline_fingerprint

REPO = Path(__file__).resolve().parents[1]


def test_default_name_loads_a_real_english_pipeline():
    nlp = load_pipeline()
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert "lemmatizer" not in nlp.pipe_names  # nothing reads lemmas; it only costs time
    doc = parse_sentences(["Brightwater Foods reported sales of $2.7 billion."])[0]
    sales = next(t for t in doc if t.text == "sales")
    assert sales.dep_ == "dobj" and sales.head.text == "reported"


def test_fingerprint_names_the_pipeline_and_versions_without_loading_it():
    fp = pipeline_fingerprint()
    assert fp.startswith("en_core_web_sm;") and "spacy=" in fp


def test_a_missing_model_is_one_line_and_exit_2(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("---\ndate: 2026-07-01\n---\n\nKestrel Motors shares fell 3% on Wednesday.\n", encoding="utf-8")
    env = {**os.environ, "FACTCHECK_NLP_MODEL": "no_such_spacy_model"}
    run = subprocess.run(
        [sys.executable, "-m", "factcheck", "check", str(article), "--nli", "off", "--no-cache"],
        capture_output=True, text=True, env=env, cwd=REPO,
    )
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no_such_spacy_model" in lines[0] and "Traceback" not in run.stderr
    assert article.read_text(encoding="utf-8").startswith("---")  # the input is untouched


def test_stop_words_are_spacys():
    # factcheck.stopwords is a copy, so that reading it does not import spaCy
    from spacy.lang.en.stop_words import STOP_WORDS as SPACY

    from factcheck.stopwords import STOP_WORDS

    assert STOP_WORDS == SPACY


def test_the_small_model_loads_without_torch_and_leaves_it_importable():
    # thinc imports torch, when installed, only to offer PyTorch layers; en_core_web_sm has none
    code = (
        "import sys\n"
        "from factcheck.extract.parse import parse_sentences\n"
        "doc = parse_sentences(['Brightwater Foods reported sales of $2.7 billion.'])[0]\n"
        "assert [t.pos_ for t in doc][:2] == ['PROPN', 'PROPN'], [t.pos_ for t in doc]\n"
        "print('torch' in sys.modules)\n"
        "try:\n"
        "    import torch\n"
        "except ImportError:\n"
        "    print('no torch installed')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_NLP_MODEL"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "False"


def test_tokens_of_a_character_span_are_those_a_walk_of_the_sentence_finds():
    # Extraction asks which tokens a figure or a name covers many times a sentence; the
    # lookup through spaCy's character spans must give exactly what walking every token
    # gives, at every offset, whitespace and punctuation included.
    from factcheck.extract.syntax import tokens_in, tokens_starting_in

    texts = [
        "Kestrel Motors' shares fell 8.81% to $41.20 on Wednesday, after the carmaker recalled 1.9 million vehicles.",
        "Revenue rose 12%  to ¥4.3tn (about $29bn) in the quarter — its best since 2019.",
        "  The S&P 500 closed up 0.4%; the Nasdaq, at 16,742.39, added 1.1 per cent.",
    ]
    for doc in parse_sentences(texts):
        n = len(doc.text)
        for start in range(n):
            for end in range(start + 1, min(n, start + 24) + 1):
                assert tokens_in(doc, start, end) == [t for t in doc if t.idx < end and t.idx + len(t.text) > start], (start, end)
                assert tokens_starting_in(doc, start, end) == [t for t in doc if start <= t.idx < end], (start, end)
