"""NLI stage without any model library: policy, rules, cache, modes, with a stub scorer.

The backends (torch, onnxruntime) are tested in test_nli_backends.py.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import factcheck.nli as nli
from factcheck.errors import RulesError
from factcheck.models import Claim, Finding
from factcheck.nli import DEFAULT_MODEL, NLIUnavailable, apply_nli, score_findings
from factcheck.nli.backends import DirectionScore, label_map, resolve_model
from factcheck.nli.cache import ScoreCache
from factcheck.nli.policy import Adjustment, NLIRules, combine, load_nli_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


def claim(sentence: str, text: str = "9%", value: float = 9.0, path: str = "a.txt") -> Claim:
    return Claim(path=path, line=1, column=1, sentence=sentence, text=text, value=value, unit="percent", kind="percent")


def finding(code: str, severity: str, s1: str, s2: str, fid: str = "f1") -> Finding:
    return Finding(
        id=fid, code=code, kind=code.lower(), severity=severity, subject="Meta", metric="share_change",
        message=f"{code} between two statements", claims=[claim(s1, path="a.txt"), claim(s2, path="b.txt")],
    )


class StubScorer:
    """Returns chosen per-direction probabilities and records what it was asked."""

    backend = "stub"

    def __init__(self, table: dict[tuple[str, str], float], identity: str = "stub|sha256:0|max_length:256"):
        self.table = table
        self.name = "stub-model"
        self.identity = identity
        self.calls: list[tuple[list[tuple[str, str]], int]] = []

    def score(self, pairs, batch_size):
        self.calls.append((list(pairs), batch_size))
        out = []
        for p in pairs:
            c = self.table.get(p, 0.1)
            out.append(DirectionScore(c, (1 - c) * 0.5, (1 - c) * 0.5))
        return out


def rules_with(**kw) -> NLIRules:
    base = NLIRules().model_dump()
    base.update(kw)
    return NLIRules.model_validate(base)


RAISE_RULE = {"codes": ["FC103"], "when": "warning", "severity": "error", "min_contradiction": 0.9}


# ---------------------------------------------------------------- rules file


def test_shipped_rules_load_and_defaults_match_the_file():
    shipped = load_nli_rules(RULES)
    defaults = NLIRules()
    # everything but the adjustments must equal the model's defaults, so that a rules folder
    # without nli.yaml behaves like the shipped one minus the severity changes
    assert shipped.model_dump(exclude={"adjustments"}) == defaults.model_dump(exclude={"adjustments"})


def test_the_commented_example_adjustment_is_valid(tmp_path):
    # editors are told to uncomment it: it must load as written
    text = (RULES / "nli.yaml").read_text()
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("#   - codes:"))
    example = [l[2:] for l in lines[start:] if l.startswith("#  ")]
    (tmp_path / "nli.yaml").write_text(text.replace("adjustments: []", "adjustments:\n" + "\n".join(example)))
    rules = load_nli_rules(tmp_path)
    assert [a.codes for a in rules.adjustments] == [["FC103"]] and rules.adjustments[0].severity == "error"


def test_missing_nli_yaml_uses_defaults(tmp_path):
    assert load_nli_rules(tmp_path) == NLIRules()


@pytest.mark.parametrize(
    "text, needle, line",
    [
        ("combine: median\n", "combine", 1),
        ("max_length: 256\nbatch_size: 0\n", "batch_size", 2),
        ("adjustments:\n  - codes: [FC103]\n    when: warning\n    severity: error\n", "at least one", 2),
        ("adjustments:\n  - codes: [FC101]\n    when: error\n    severity: warning\n    max_contradiction: 0.1\n", "never lower", 2),
        ("adjustments: [\n", "invalid YAML", None),
        ("surprise: 1\n", "surprise", 1),
    ],
)
def test_malformed_rules_are_one_line_errors(tmp_path, text, needle, line):
    (tmp_path / "nli.yaml").write_text(text)
    with pytest.raises(RulesError) as err:
        load_nli_rules(tmp_path)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)
    if line is not None:
        assert err.value.line == line


def test_protected_codes_in_rules_cannot_be_lowered(tmp_path):
    (tmp_path / "nli.yaml").write_text(
        "protected_codes: [FC101, FC102]\nadjustments:\n  - codes: [FC102]\n    when: error\n"
        "    severity: warning\n    max_contradiction: 0.05\n"
    )
    with pytest.raises(RulesError, match="FC102"):
        load_nli_rules(tmp_path)


# ---------------------------------------------------------------- combining and policy


def test_combine_both_directions():
    fwd, bwd = DirectionScore(0.9, 0.05, 0.05), DirectionScore(0.2, 0.3, 0.5)
    assert combine(fwd, bwd, "min", "m").contradiction == 0.2
    assert combine(fwd, bwd, "max", "m").contradiction == 0.9
    assert combine(fwd, bwd, "mean", "m").contradiction == 0.55
    assert combine(fwd, bwd, "geomean", "m").contradiction == pytest.approx(0.4243, abs=1e-4)
    s = combine(fwd, bwd, "min", "m")
    assert (s.entailment, s.neutral, s.directions, s.model) == (0.175, 0.275, 2, "m")


def test_combine_two_label_model_has_no_entailment():
    s = combine(DirectionScore(0.7, None, None), DirectionScore(0.6, None, None), "min", "m")
    assert s.entailment is None and s.neutral is None and s.contradiction == 0.6


def test_policy_raises_a_rounding_warning_that_contradicts():
    rules = rules_with(adjustments=[RAISE_RULE])
    f = finding("FC103", "warning", "Meta rose 9%.", "Meta surged 8.8%.")
    stub = StubScorer({("Meta rose 9%.", "Meta surged 8.8%."): 0.95, ("Meta surged 8.8%.", "Meta rose 9%."): 0.92})
    (out,), counts = score_findings([f], scorer=stub, rules=rules, cache=ScoreCache(None))
    assert out.severity == "error" and counts["raised"] == 1
    assert out.nli.contradiction == 0.92  # min of the two directions
    assert "warning -> error" in out.message
    assert f.severity == "warning" and f.nli is None  # the input is not mutated


def test_policy_needs_both_directions_to_contradict():
    rules = rules_with(adjustments=[RAISE_RULE])
    f = finding("FC103", "warning", "Meta rose 9% on Monday.", "Meta rose 11% over two days.")
    stub = StubScorer({("Meta rose 9% on Monday.", "Meta rose 11% over two days."): 0.99})  # one direction only
    (out,), _ = score_findings([f], scorer=stub, rules=rules, cache=ScoreCache(None))
    assert out.severity == "warning"
    assert out.nli.contradiction == 0.1


def test_nli_never_lowers_a_scale_mismatch():
    # a rules object built in code bypasses the file validator: the policy still refuses
    lower_all = {"codes": ["FC101", "FC102"], "when": "error", "severity": "info", "max_contradiction": 0.5}
    rules = NLIRules.model_construct(**{**NLIRules().model_dump(), "adjustments": [Adjustment(**lower_all)]})
    scale = finding("FC101", "error", "Rent is $1.25 billion a month.", "Rent is $47.55M a month.", "s")
    value = finding("FC102", "error", "Revenue was $10 billion.", "Revenue was $12 billion.", "v")
    out, counts = score_findings([scale, value], scorer=StubScorer({}), rules=rules, cache=ScoreCache(None))
    assert out[0].severity == "error" and out[0].nli is not None
    assert out[1].severity == "info" and counts["lowered"] == 1


def test_same_sentence_and_single_claim_findings_are_not_scored():
    s = "JPMorgan sees $1.15 trillion in 2027, above the market consensus of $925 billion."
    same = finding("FC102", "error", s, s, "same")
    single = finding("FC102", "error", s, "x", "single").model_copy(update={"claims": [claim(s)]})
    stub = StubScorer({})
    out, counts = score_findings([same, single], scorer=stub, rules=NLIRules(), cache=ScoreCache(None))
    assert [f.nli for f in out] == [None, None]
    assert stub.calls == []
    assert (counts["skipped_same_sentence"], counts["skipped_single_claim"], counts["findings_scored"]) == (1, 1, 0)


def test_pairs_are_deduplicated_and_both_directions_scored():
    a, b, c = "Meta rose 9%.", "Meta surged 8.8%.", "Meta soared 8.81%."
    fs = [finding("FC103", "warning", a, b, "1"), finding("FC103", "warning", b, a, "2"), finding("FC103", "warning", a, c, "3")]
    stub = StubScorer({})
    out, counts = score_findings(fs, scorer=stub, rules=rules_with(batch_size=7), cache=ScoreCache(None))
    (pairs, batch), = stub.calls
    assert batch == 7
    assert sorted(pairs) == sorted({(a, b), (b, a), (a, c), (c, a)})
    assert counts["pairs_scored"] == 4 and counts["findings_scored"] == 3
    assert [f.id for f in out] == ["1", "2", "3"]


# ---------------------------------------------------------------- cache


def test_cache_hits_on_rerun_and_misses_for_other_weights(tmp_path):
    path = tmp_path / "c" / "nli.sqlite"
    f = finding("FC103", "warning", "Meta rose 9%.", "Meta surged 8.8%.")
    stub = StubScorer({("Meta rose 9%.", "Meta surged 8.8%."): 0.8})
    with ScoreCache(path) as cache:
        first, c1 = score_findings([f], scorer=stub, rules=NLIRules(), cache=cache)
    with ScoreCache(path) as cache:
        second, c2 = score_findings([f], scorer=stub, rules=NLIRules(), cache=cache)
    assert (c1["pairs_scored"], c1["cache_hits"]) == (2, 0)
    assert (c2["pairs_scored"], c2["cache_hits"]) == (0, 2)
    assert len(stub.calls) == 1
    assert first == second
    other = StubScorer({}, identity="stub|sha256:1|max_length:256")
    with ScoreCache(path) as cache:
        _, c3 = score_findings([f], scorer=other, rules=NLIRules(), cache=cache)
        assert cache.count() == 4
    assert c3["pairs_scored"] == 2


def test_cache_combine_change_needs_no_rescoring(tmp_path):
    path = tmp_path / "nli.sqlite"
    f = finding("FC103", "warning", "A rose 9%.", "A rose 8.8%.")
    stub = StubScorer({("A rose 9%.", "A rose 8.8%."): 0.8})
    with ScoreCache(path) as cache:
        score_findings([f], scorer=stub, rules=NLIRules(), cache=cache)
    with ScoreCache(path) as cache:
        (out,), counts = score_findings([f], scorer=stub, rules=rules_with(combine="max"), cache=cache)
    assert counts["pairs_scored"] == 0 and out.nli.contradiction == 0.8


@pytest.mark.parametrize("garbage", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path, garbage):
    path = tmp_path / "nli.sqlite"
    path.write_bytes(garbage)
    with ScoreCache(path) as cache:
        assert len(cache.warnings) == 1 and "rebuilt" in cache.warnings[0]
        cache.put_many("m", [(("a", "b"), DirectionScore(0.5, 0.25, 0.25))])
    with ScoreCache(path) as cache:
        assert cache.warnings == []
        assert cache.get_many("m", [("a", "b")]) == {("a", "b"): DirectionScore(0.5, 0.25, 0.25)}


def test_cache_from_another_schema_is_rebuilt(tmp_path):
    path = tmp_path / "nli.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema', '0')")
    db.commit()
    db.close()
    with ScoreCache(path) as cache:
        assert "rebuilt" in cache.warnings[0]


def test_file_hash_is_remembered(tmp_path):
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"abc")
    calls = []

    def compute(p):
        calls.append(p)
        return "h" + p.read_text()

    with ScoreCache(tmp_path / "c.sqlite") as cache:
        assert cache.file_hash(weights, compute) == "habc"
        assert cache.file_hash(weights, compute) == "habc"
        assert len(calls) == 1
        weights.write_bytes(b"abcd")
        assert cache.file_hash(weights, compute) == "habcd"


# ---------------------------------------------------------------- apply_nli modes


def test_off_never_loads(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("must not resolve a model in off mode")

    monkeypatch.setattr(nli, "resolve_model", boom)
    f = finding("FC103", "warning", "a", "b")
    out, stats, warnings = apply_nli([f], mode="off", model=None, rules_dir=RULES, cache_path=None)
    assert out == [f] and stats["nli"] is None and warnings == []


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError):
        apply_nli([], mode="sometimes", model=None, rules_dir=RULES, cache_path=None)


def test_auto_without_model_warns_once_and_changes_nothing(tmp_path):
    f = finding("FC103", "warning", "a", "b")
    out, stats, warnings = apply_nli([f], mode="auto", model=str(tmp_path / "nope"), rules_dir=RULES, cache_path=None)
    assert out == [f]
    assert stats["nli"] is None and "does not exist" in stats["nli_reason"]
    assert len(warnings) == 1 and warnings[0].startswith("NLI skipped:") and "\n" not in warnings[0]


def test_required_without_model_is_one_line_error_that_says_how_to_get_it():
    with pytest.raises(NLIUnavailable) as err:
        apply_nli([], mode="required", model="factcheck-tests/not-a-cached-model", rules_dir=RULES, cache_path=None)
    text = str(err.value)
    assert "\n" not in text and "hf download factcheck-tests/not-a-cached-model" in text and "--nli-model" in text


def test_model_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTCHECK_NLI_MODEL", str(tmp_path / "from-env"))
    _, stats, _ = apply_nli([], mode="auto", model=None, rules_dir=RULES, cache_path=None)
    assert "from-env" in stats["nli_reason"]
    monkeypatch.delenv("FACTCHECK_NLI_MODEL")
    assert DEFAULT_MODEL == "cross-encoder/nli-deberta-v3-xsmall"


def test_folder_without_weights_or_config_is_unavailable(tmp_path):
    with pytest.raises(NLIUnavailable, match="config.json"):
        resolve_model(str(tmp_path))
    (tmp_path / "config.json").write_text(json.dumps({"id2label": {"0": "contradiction"}}))
    with pytest.raises(NLIUnavailable, match="no model.onnx"):
        resolve_model(str(tmp_path))


def test_apply_nli_with_a_stub_scorer(monkeypatch, tmp_path):
    """The whole stage through its public API, with the loader swapped for a stub."""
    model_dir = tmp_path / "stub-model"
    model_dir.mkdir()
    (model_dir / "config.json").write_text("{}")
    (model_dir / "model.safetensors").write_bytes(b"weights")
    a, b = "Meta rose 9%.", "Meta surged 8.8%."
    stub = StubScorer({(a, b): 0.999, (b, a): 0.995})
    loads = []
    monkeypatch.setattr(nli.backends, "_installed", lambda *m: True)
    monkeypatch.setattr(nli, "load_scorer", lambda ref, identity, max_length: loads.append(identity) or stub)
    fs = [finding("FC103", "warning", a, b), finding("FC101", "error", "Rent $1.25 billion.", "Rent $47.55M.", "f2")]
    cache = tmp_path / "nli.sqlite"
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "nli.yaml").write_text(
        "adjustments:\n  - {codes: [FC103], when: warning, severity: error, min_contradiction: 0.99}\n"
    )
    out, stats, warnings = apply_nli(fs, mode="required", model=str(model_dir), rules_dir=rules_dir, cache_path=cache)
    assert warnings == []
    s = stats["nli"]
    assert (s["backend"], s["findings_scored"], s["pairs_scored"], s["cache_hits"], s["model_loaded"]) == ("transformers", 2, 4, 0, True)
    assert len(s["weights_sha256"]) == 16
    assert out[0].severity == "error" and out[0].nli.model == str(model_dir)
    assert out[1].severity == "error"
    # second run: everything cached, the model is not even loaded
    out2, stats2, _ = apply_nli(fs, mode="required", model=str(model_dir), rules_dir=rules_dir, cache_path=cache)
    assert (stats2["nli"]["pairs_scored"], stats2["nli"]["cache_hits"], stats2["nli"]["model_loaded"]) == (0, 4, False)
    assert out2 == out and len(loads) == 1
    # new weights: a new identity, everything rescored
    (model_dir / "model.safetensors").write_bytes(b"other weights")
    _, stats3, _ = apply_nli(fs, mode="required", model=str(model_dir), rules_dir=rules_dir, cache_path=cache)
    assert stats3["nli"]["pairs_scored"] == 4


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "id2label, expected",
    [
        ({0: "contradiction", 1: "entailment", 2: "neutral"}, (0, 1, 2)),
        ({"0": "ENTAILMENT", "1": "NEUTRAL", "2": "CONTRADICTION"}, (2, 0, 1)),
        ({0: "no_contradiction", 1: "Contradiction"}, (1, None, None)),
        ({0: "entailment", 1: "contradiction"}, (1, 0, None)),
    ],
)
def test_label_map(id2label, expected):
    m = label_map(id2label, "m")
    assert (m.contradiction, m.entailment, m.neutral) == expected


@pytest.mark.parametrize("id2label", [{0: "LABEL_0", 1: "LABEL_1"}, {0: "not_contradiction", 1: "other"}, {}, None])
def test_label_map_without_contradiction(id2label):
    with pytest.raises(NLIUnavailable, match="contradiction"):
        label_map(id2label, "m")


# ---------------------------------------------------------------- core import stays light


def test_core_import_loads_no_model_library():
    code = (
        "import sys, factcheck, factcheck.nli, factcheck.nli.policy, factcheck.nli.cache;"
        "heavy = [m for m in ('torch', 'transformers', 'onnxruntime', 'onnx', 'tokenizers') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_statement_pair_takes_the_other_side_of_the_conflict():
    a1 = claim("On July 1, Meta's stock price surged 8.8%.", "8.8%", 8.8, "x.txt")
    a2 = claim("On July 1st, Meta's stock surged 8.8%.", "8.8%", 8.8, "x.txt")
    b = claim("Meta shares rose 9% on the announcement.", "9%", 9.0, "y.txt")
    f = finding("FC103", "warning", "s", "t").model_copy(update={"claims": [a1, a2, b]})
    assert nli.statement_pair(f) == (a1.sentence, b.sentence)
    same_figure = f.model_copy(update={"claims": [a1, a2]})
    assert nli.statement_pair(same_figure) == (a1.sentence, a2.sentence)


def test_hub_id_resolves_from_the_local_hugging_face_cache(tmp_path, monkeypatch):
    """A model someone fetched with `hf download` is found offline, in the usual cache layout."""
    pytest.importorskip("huggingface_hub")
    constants = pytest.importorskip("huggingface_hub.constants")
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--factcheck-tests--tiny-nli"
    snap = repo / "snapshots" / commit
    snap.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    (snap / "config.json").write_text(json.dumps({"id2label": {"0": "contradiction", "1": "other"}}))
    (snap / "model.safetensors").write_bytes(b"weights")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(nli.backends, "_installed", lambda *m: True)
    ref = resolve_model("factcheck-tests/tiny-nli")
    assert ref.folder == snap and ref.backend == "transformers" and ref.name == "factcheck-tests/tiny-nli"
    assert [p.name for p in ref.weights] == ["model.safetensors"]
