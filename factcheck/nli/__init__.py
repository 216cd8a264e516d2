"""NLI stage: do the two statements behind a finding contradict each other?

The numeric comparison says *that* two figures disagree; a natural-language-inference model
says whether the *statements* contradict, which lets rules/nli.yaml raise or lower a
finding's severity and lets a review queue rank findings by `finding.nli.contradiction`.

    findings, stats, warnings = apply_nli(findings, mode="auto", model=None,
                                          rules_dir=Path("rules"), cache_path=Path(".factcheck/nli.sqlite"))

Modes: ``off`` never loads a model; ``auto`` scores when the model can be had and otherwise
returns the findings untouched with one warning and the reason in stats; ``required``
raises NLIUnavailable instead. The model is ``model``, else $FACTCHECK_NLI_MODEL, else
DEFAULT_MODEL; a folder holding model.onnx runs on onnxruntime, any other on transformers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from factcheck.models import Finding
from factcheck.nli.backends import (
    DEFAULT_MODEL,
    DirectionScore,
    ModelRef,
    NLIUnavailable,
    Scorer,
    file_sha256,
    load_scorer,
    model_identity,
    resolve_model,
    weights_hash,
)
from factcheck.nli.cache import ScoreCache
from factcheck.nli.policy import NLIRules, adjust, combine, load_nli_rules

__all__ = ["DEFAULT_MODEL", "MODES", "NLIUnavailable", "apply_nli", "score_findings", "statement_pair"]

MODES = ("off", "auto", "required")
ENV_MODEL = "FACTCHECK_NLI_MODEL"


def apply_nli(
    findings: list[Finding],
    *,
    mode: str,
    model: str | None,
    rules_dir: Path,
    cache_path: Path | None,
) -> tuple[list[Finding], dict, list[str]]:
    """Score each finding's statement pair in both directions and apply rules/nli.yaml.

    Returns (findings, stats, warnings): updated copies of the findings in the same order,
    a dict to merge into the report's stats, and warnings for the CLI to print once each.
    Raises NLIUnavailable only in ``required`` mode, RulesError for a bad rules/nli.yaml.
    """
    if mode not in MODES:
        raise ValueError(f"NLI mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return list(findings), {"nli": None, "nli_reason": "disabled (--nli off)"}, []

    rules = load_nli_rules(Path(rules_dir))
    name = model or os.environ.get(ENV_MODEL) or DEFAULT_MODEL
    warnings: list[str] = []
    try:
        ref = resolve_model(name)
    except NLIUnavailable as exc:
        return _unavailable(findings, mode, exc, warnings)

    with ScoreCache(cache_path) as cache:
        try:
            sha = weights_hash(ref, lambda p: cache.file_hash(p, file_sha256))
            scorer = _LazyScorer(ref, model_identity(ref, sha, rules.max_length), rules.max_length)
            out, counts = score_findings(findings, scorer=scorer, rules=rules, cache=cache)
        except NLIUnavailable as exc:
            return _unavailable(findings, mode, exc, [*warnings, *cache.warnings])
        except OSError as exc:  # weights vanished or unreadable between resolving and hashing
            return _unavailable(findings, mode, NLIUnavailable(f"NLI model {name!r} cannot be read: {exc}"), warnings)
        warnings.extend(cache.warnings)

    stats = {
        "model": name,
        "backend": ref.backend,
        "weights_sha256": sha[:16],
        "combine": rules.combine,
        "model_loaded": scorer.loaded,
        **counts,
    }
    return out, {"nli": stats}, warnings


def statement_pair(finding: Finding) -> tuple[str, str] | None:
    """The two statements a finding compares.

    The first claim against the first later claim that states another figure. Findings
    list every mention of either side, so claims[1] is often the same figure repeated (a
    translated article quoting "surged 8.8%" twice), and NLI on that pair says nothing
    about the conflict. Without a differing figure: the first claim in another sentence,
    else claims[1].
    """
    claims = finding.claims
    if len(claims) < 2:
        return None
    first = claims[0]

    def figure(c):
        return (c.value, c.high, c.unit, c.direction)

    other = next((c for c in claims[1:] if figure(c) != figure(first)), None)
    if other is None:
        other = next((c for c in claims[1:] if c.sentence != first.sentence), claims[1])
    return first.sentence, other.sentence


def score_findings(
    findings: Sequence[Finding], *, scorer: Scorer, rules: NLIRules, cache: ScoreCache
) -> tuple[list[Finding], dict[str, int]]:
    """Score every finding's pair (cache first, then the model, batched) and apply the policy."""
    wanted: dict[int, tuple[str, str]] = {}
    skipped_same = skipped_single = 0
    for i, f in enumerate(findings):
        pair = statement_pair(f)
        if pair is None:
            skipped_single += 1
        elif rules.skip_same_sentence and pair[0] == pair[1]:
            # A sentence read against itself is "entailed" whatever its numbers say: the
            # score would carry no information and could only mislead the policy.
            skipped_same += 1
        else:
            wanted[i] = pair

    directed = list(dict.fromkeys(d for a, b in wanted.values() for d in ((a, b), (b, a))))
    hits_before = cache.hits
    known: dict[tuple[str, str], DirectionScore] = cache.get_many(scorer.identity, directed)
    missing = [d for d in directed if d not in known]
    if missing:
        fresh = scorer.score(missing, rules.batch_size)
        if len(fresh) != len(missing):
            raise NLIUnavailable(f"NLI model {scorer.name!r} returned {len(fresh)} scores for {len(missing)} pairs")
        cache.put_many(scorer.identity, list(zip(missing, fresh)))
        known.update(zip(missing, fresh))

    out: list[Finding] = []
    raised = lowered = 0
    for i, f in enumerate(findings):
        if i not in wanted:
            out.append(f.model_copy(update={"nli": None}) if f.nli is not None else f)
            continue
        a, b = wanted[i]
        score = combine(known[(a, b)], known[(b, a)], rules.combine, scorer.name, rules.decimals)
        new, change = adjust(f, score, rules)
        raised += change == "raised"
        lowered += change == "lowered"
        out.append(new)
    counts = {
        "findings_scored": len(wanted),
        "pairs_scored": len(missing),
        "cache_hits": cache.hits - hits_before,
        "skipped_same_sentence": skipped_same,
        "skipped_single_claim": skipped_single,
        "raised": raised,
        "lowered": lowered,
    }
    return out, counts


class _LazyScorer:
    """Loads the model only when some pair is not cached: a warm rerun never pays for it."""

    def __init__(self, ref: ModelRef, identity: str, max_length: int):
        self.ref = ref
        self.name = ref.name
        self.identity = identity
        self.backend = ref.backend
        self.max_length = max_length
        self._scorer: Scorer | None = None

    @property
    def loaded(self) -> bool:
        return self._scorer is not None

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> list[DirectionScore]:
        if self._scorer is None:
            self._scorer = load_scorer(self.ref, self.identity, self.max_length)
        return self._scorer.score(pairs, batch_size)


def _unavailable(
    findings: list[Finding], mode: str, exc: NLIUnavailable, warnings: list[str]
) -> tuple[list[Finding], dict, list[str]]:
    reason = str(exc)
    if mode == "required":
        raise NLIUnavailable(reason) from None
    return list(findings), {"nli": None, "nli_reason": reason}, [*warnings, f"NLI skipped: {reason}"]
