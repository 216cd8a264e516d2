"""How NLI scores combine and how they change a finding's severity (rules/nli.yaml).

The numeric comparison decides *whether* there is a finding; NLI only moves its severity
within bounds an editor sets, and it can never lower a protected code: a scale mismatch
(FC101) is a fact about the numbers that no sentence model gets to explain away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from factcheck.models import SEVERITY_RANK, Finding, NLIScore, Severity
from factcheck.nli.backends import DirectionScore
from factcheck.rules import load_yaml_model

# Whatever rules/nli.yaml says, these are never lowered.
ALWAYS_PROTECTED = frozenset({"FC101"})

Combine = Literal["min", "mean", "max", "geomean"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Adjustment(_Strict):
    """Move findings of `codes` from severity `when` to `severity` when the scores say so.

    All the thresholds given must hold (min_* inclusive, max_* exclusive).
    """

    codes: list[str] = Field(min_length=1)
    when: Severity
    severity: Severity
    min_contradiction: float | None = Field(default=None, ge=0, le=1)
    max_contradiction: float | None = Field(default=None, ge=0, le=1)
    min_entailment: float | None = Field(default=None, ge=0, le=1)
    note: str | None = None  # appended to the message, e.g. "statements contradict"

    @model_validator(mode="after")
    def _has_threshold(self) -> Adjustment:
        if self.min_contradiction is None and self.max_contradiction is None and self.min_entailment is None:
            raise ValueError("give at least one of min_contradiction, max_contradiction, min_entailment")
        if self.when == self.severity:
            raise ValueError(f"when and severity are both {self.when!r}: the adjustment would change nothing")
        return self

    @property
    def lowers(self) -> bool:
        return SEVERITY_RANK[self.severity] < SEVERITY_RANK[self.when]

    def matches(self, finding: Finding, score: NLIScore) -> bool:
        if finding.code not in self.codes or finding.severity != self.when:
            return False
        if self.min_contradiction is not None and score.contradiction < self.min_contradiction:
            return False
        if self.max_contradiction is not None and score.contradiction >= self.max_contradiction:
            return False
        if self.min_entailment is not None and (score.entailment is None or score.entailment < self.min_entailment):
            return False
        return True


class NLIRules(_Strict):
    # Defaults equal the shipped rules/nli.yaml (a test keeps them in step), so a rules
    # directory made before NLI existed still works.
    max_length: int = Field(default=256, ge=16, le=4096)  # tokens; longer pairs are truncated
    batch_size: int = Field(default=8, ge=1, le=1024)
    combine: Combine = "min"
    skip_same_sentence: bool = True
    decimals: int = Field(default=4, ge=1, le=8)
    protected_codes: list[str] = Field(default_factory=lambda: sorted(ALWAYS_PROTECTED))
    adjustments: list[Adjustment] = Field(default_factory=list)

    @field_validator("adjustments")
    @classmethod
    def _never_lower_protected(cls, adjustments: list[Adjustment], info: ValidationInfo) -> list[Adjustment]:
        # a field validator (not a model one) so that the error points at the adjustments' line
        protected = set(info.data.get("protected_codes") or ()) | ALWAYS_PROTECTED
        for i, adj in enumerate(adjustments):
            bad = sorted(protected & set(adj.codes)) if adj.lowers else []
            if bad:
                raise ValueError(
                    f"item {i} lowers {', '.join(bad)}, which NLI must never lower "
                    "(a scale mismatch is a fact about the numbers)"
                )
        return adjustments


def load_nli_rules(rules_dir: Path) -> NLIRules:
    path = Path(rules_dir) / "nli.yaml"
    if not path.exists():
        return NLIRules()
    return load_yaml_model(path, NLIRules)  # type: ignore[return-value]


def combine(forward: DirectionScore, backward: DirectionScore, how: Combine, model: str, decimals: int = 4) -> NLIScore:
    """One score for a pair of statements from both directions.

    Contradiction is symmetric in meaning but not in these models: a short statement read
    as the hypothesis of a longer one about another window often looks contradicted one
    way only. `min` asks both directions to agree (see bench/README_nli.md for the
    measurements). Entailment and neutral are reported as the mean of the directions.
    """
    a, b = forward.contradiction, backward.contradiction
    if how == "min":
        c = min(a, b)
    elif how == "max":
        c = max(a, b)
    elif how == "geomean":
        c = (a * b) ** 0.5
    else:
        c = (a + b) / 2

    def mean(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None else round((x + y) / 2, decimals)

    return NLIScore(
        model=model,
        contradiction=round(c, decimals),
        entailment=mean(forward.entailment, backward.entailment),
        neutral=mean(forward.neutral, backward.neutral),
        directions=2,
    )


def adjust(finding: Finding, score: NLIScore, rules: NLIRules) -> tuple[Finding, str | None]:
    """The finding with its score and, where a rule matches, its new severity.

    Returns (finding, "raised" | "lowered" | None).
    """
    protected = set(rules.protected_codes) | ALWAYS_PROTECTED
    for adj in rules.adjustments:
        if not adj.matches(finding, score):
            continue
        if adj.lowers and finding.code in protected:  # unreachable through validated rules; kept as the last guard
            continue
        note = adj.note or ("statements contradict" if not adj.lowers else "statements do not contradict")
        message = f"{finding.message} [NLI {score.contradiction:.2f} contradiction: {note}; {finding.severity} -> {adj.severity}]"
        change = "lowered" if adj.lowers else "raised"
        return finding.model_copy(update={"nli": score, "severity": adj.severity, "message": message}), change
    return finding.model_copy(update={"nli": score}), None
