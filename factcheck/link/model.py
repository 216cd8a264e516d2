"""The learned link model: one weight per comparison level, read from rules/linkage.yaml.

A pair's score is the intercept plus the weight of each comparison's level (log-odds, as
a logistic regression over one-hot levels gives them; Splink calls them match weights),
and its probability the logistic of that sum. Two sets of weights over the same
comparisons: `assignment` chooses each figure's partner, `confirmation` says how likely
a chosen pair states one quantity (see LinkageFile). The file is written by
bench/train_linkage.py from labelled pairs; editors may read and tune it like any rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from factcheck.errors import RulesError
from factcheck.link.comparisons import BY_NAME
from factcheck.rules import _Strict, load_yaml_model

LINKAGE_FILE = "linkage.yaml"


class Thresholds(_Strict):
    # Link probability at or above which a conflicting pair is reported at the severity
    # of its code (error), or as a warning; below `warning`, not at all.
    error: float = Field(ge=0, le=1)
    warning: float = Field(ge=0, le=1)


class Stage(_Strict):
    intercept: float
    weights: dict[str, dict[str, float]]


class LinkageFile(_Strict):
    version: int = 1
    thresholds: Thresholds
    # Who pairs with whom: fitted on every candidate pair, used to choose each figure's
    # partner in each other article.
    assignment: Stage
    # Whether a chosen pair is one quantity: fitted on the pairs the assignment chooses,
    # whose values differ, which is where a finding is decided. Its probability is the
    # one reported and held against the thresholds.
    confirmation: Stage
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
                comparison = BY_NAME.get(name)
                if comparison is None:
                    raise RulesError(source, f"{stage}.weights: {name!r} is no comparison (known: {', '.join(BY_NAME)})")
                unknown = set(levels) - set(comparison.levels)
                if unknown:
                    raise RulesError(source, f"{stage}.weights.{name}: {', '.join(sorted(unknown))} is no level of it")
        self.spec = spec
        self.thresholds = spec.thresholds

    @classmethod
    def load(cls, directory: Path) -> LinkModel:
        path = Path(directory) / LINKAGE_FILE
        spec = load_yaml_model(path, LinkageFile)
        return cls(spec, str(path))  # type: ignore[arg-type]

    @property
    def prior(self) -> float:
        return self.spec.confirmation.intercept

    def match(self, vector: dict[str, str]) -> Scored:
        """How well the pair matches, against the other candidates of its figures."""
        return _score(self.spec.assignment, vector)

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
