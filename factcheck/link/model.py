"""The learned link model: one weight per comparison level, read from rules/linkage.yaml.

A pair's score is the intercept plus the weight of each comparison's level (log-odds, as
a logistic regression over one-hot levels gives them; Splink calls them match weights),
and its probability the logistic of that sum. Two sets of weights: `assignment` chooses
each figure's partner and also weighs how the two values relate (a figure that agrees
with one figure of the other article rarely conflicts with another of it);
`confirmation` says how likely a chosen pair states one quantity, and never sees the
values, so that a wrong figure cannot hide its own error. `severity` gives, per value
relation of a finding, the link probability a warning and an error need. The file is
written by bench/train_linkage.py from labelled pairs; editors may read and tune it like
any rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from factcheck.errors import RulesError
from factcheck.link.comparisons import BY_NAME, VALUE
from factcheck.rules import _Strict, load_yaml_model

LINKAGE_FILE = "linkage.yaml"


class SeverityThresholds(_Strict):
    # Link probability at or above which a finding of this value relation is reported:
    # as a warning, and as an error when its code's severity is error.
    warning: float = Field(ge=0, le=1)
    error: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> SeverityThresholds:
        if self.error < self.warning:
            raise ValueError(f"error ({self.error}) is below warning ({self.warning})")
        return self


class Stage(_Strict):
    intercept: float
    weights: dict[str, dict[str, float]]


class LinkageFile(_Strict):
    version: int = 2
    # Who pairs with whom: fitted on every labelled candidate pair, the value level of
    # link/values.py among its comparisons.
    assignment: Stage
    # Whether a chosen pair is one quantity: fitted on the pairs whose values would make a
    # finding, those the assignment chooses counted more (bench/train_linkage.py), as it
    # scores only those. Its probability is the one reported and held against the
    # severity thresholds.
    confirmation: Stage
    # Value relation of a finding (compare.RELATIONS) -> thresholds; a relation left out
    # is never reported.
    severity: dict[str, SeverityThresholds]
    # What produced the file: the command, the data and its counts (bench/train_linkage.py).
    trained: dict[str, object] = Field(default_factory=dict)


@dataclass(frozen=True)
class Contribution:
    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class Scored:
    probability: float
    score: float  # log-odds
    contributions: tuple[Contribution, ...]  # every comparison whose level carries weight


class LinkModel:
    def __init__(self, spec: LinkageFile, source: str = LINKAGE_FILE):
        for stage in ("assignment", "confirmation"):
            for name, levels in getattr(spec, stage).weights.items():
                comparison = VALUE if name == VALUE.name and stage == "assignment" else BY_NAME.get(name)
                if comparison is None:
                    known = ", ".join([*BY_NAME, *([VALUE.name] if stage == "assignment" else [])])
                    raise RulesError(source, f"{stage}.weights: {name!r} is no comparison of this stage (known: {known})")
                unknown = set(levels) - set(comparison.levels)
                if unknown:
                    raise RulesError(source, f"{stage}.weights.{name}: {', '.join(sorted(unknown))} is no level of it")
        self.spec = spec
        self.source = source
        # flat (comparison, level) -> weight: the assignment scores every candidate pair
        self._assignment = {(n, lvl): w for n, levels in spec.assignment.weights.items() for lvl, w in levels.items()}

    @classmethod
    def load(cls, directory: Path) -> LinkModel:
        path = Path(directory) / LINKAGE_FILE
        spec = load_yaml_model(path, LinkageFile)
        return cls(spec, str(path))  # type: ignore[arg-type]

    @property
    def prior(self) -> float:
        return self.spec.confirmation.intercept

    def match(self, vector: dict[str, str], value: str | None = None) -> float:
        """How well the pair matches, against the other candidates of its figures (log-odds)."""
        get = self._assignment.get
        total = self.spec.assignment.intercept + sum(get(item, 0.0) for item in vector.items())
        return total + get((VALUE.name, value), 0.0) if value is not None else total

    def confirm(self, vector: dict[str, str]) -> Scored:
        """The link probability of a chosen pair: one quantity, or two."""
        return _score(self.spec.confirmation, vector)


def _score(stage: Stage, vector: dict[str, str]) -> Scored:
    total = stage.intercept
    parts = []
    for name, level in vector.items():
        w = stage.weights.get(name, {}).get(level, 0.0)
        if w:
            parts.append(Contribution(name, level, w))
            total += w
    return Scored(_logistic(total), total, tuple(parts))


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# The link of a figure and its own second telling (link.told_twice) is no estimate: the
# article states the quantity twice. Reported at this probability, over every threshold.
TOLD_TWICE = 0.999


def told_link(scored: Scored) -> Scored:
    """The learned waterfall, topped up to TOLD_TWICE by one contribution that says why."""
    target = math.log(TOLD_TWICE / (1 - TOLD_TWICE))
    if scored.score >= target:
        return scored
    return Scored(TOLD_TWICE, target, (Contribution("told_twice", "retold", target - scored.score), *scored.contributions))
