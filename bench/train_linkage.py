"""Fit rules/linkage.yaml from labelled pairs: both weight sets and the severity thresholds.

    python bench/train_linkage.py            # writes rules/linkage.yaml
    python bench/train_linkage.py --check    # exit 1 if the file differs from what it would write

1. `assignment`: a regularised logistic regression over one-hot comparison levels (every
   level its own column, so each gets a readable weight), the value level among them, on
   every labelled candidate pair.
2. `confirmation`: the same over the comparisons without the value level, on the
   labelled pairs whose values would make a finding if the two were linked.
3. `severity`: the link probability a finding needs, per value relation. Out-of-fold
   link probabilities of the training groups (leave one group out, steps 1-2 fitted on
   the others) against whether each linked pair is a labelled conflict give a small
   calibration, P(conflict) = logistic(slope * logit(p) + offset of its relation). The
   warning threshold is the calibrated probability that best balances conflicts found
   against findings read (F1); the error threshold the lowest from which errors keep
   ERROR_PRECISION at every higher threshold, over at least ERROR_SUPPORT of them, or
   none. Both are written back as link probabilities per relation.

Newton's method, numpy only, no randomness: the same labelled data give the same file.
Nothing here runs at check time; factcheck reads the file.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factcheck.compare import RELATIONS  # noqa: E402
from factcheck.link import mutual_best  # noqa: E402
from factcheck.link.comparisons import COMPARISONS, VALUE  # noqa: E402

L2 = 1.0  # the penalty on every level's weight (measured flat from 0.3 to 10: bench/README.md)
CALIBRATION_L2 = 1.0
# Unlabelled negatives (candidate pairs with differing values that no gold item names) are
# many and less sure than labelled ones: they count at this weight.
WEAK_WEIGHT = 0.3
# Errors must reach this precision on the training groups' out-of-fold links. Above the
# 90% the issue asks for: a threshold chosen on the same rows it is scored on is
# optimistic, and with 0.9 the held-out groups came out at 80-87% (bench/README.md).
ERROR_PRECISION = 0.95
ERROR_SUPPORT = 5  # over at least this many errors: two right of two is no evidence of 90%
# One column per level but the neutral one (weight 0 by construction: comparisons.py).
CONFIRMATION_COLUMNS = [(c.name, level) for c in COMPARISONS for level in c.levels if level != c.neutral]
ASSIGNMENT_COLUMNS = CONFIRMATION_COLUMNS + [(VALUE.name, level) for level in VALUE.levels]


class Design:
    """One-hot columns of comparison levels, and the rows of a set of vectors."""

    def __init__(self, columns: list[tuple[str, str]]):
        self.columns = columns
        self.index = {col: i for i, col in enumerate(columns)}

    def rows(self, vectors: Sequence[dict[str, str]]) -> np.ndarray:
        x = np.zeros((len(vectors), len(self.columns)))
        for row, vector in enumerate(vectors):
            for name, level in vector.items():
                col = self.index.get((name, level))
                if col is not None:
                    x[row, col] = 1.0
        return x


ASSIGNMENT = Design(ASSIGNMENT_COLUMNS)
CONFIRMATION = Design(CONFIRMATION_COLUMNS)


def logistic_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """Penalised logistic regression by Newton's method: [intercept, weights...]. The
    intercept is not shrunk. Identical rows are merged first (one-hot rows repeat a lot)."""
    rows, inverse = np.unique(np.hstack([x, y[:, None]]), axis=0, return_inverse=True)
    weight = np.bincount(inverse.ravel(), weights=w, minlength=len(rows))
    x, y = rows[:, :-1], rows[:, -1]
    x1 = np.hstack([np.ones((len(y), 1)), x])
    penalty = np.full(x1.shape[1], l2)
    penalty[0] = 1e-6
    beta = np.zeros(x1.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x1 @ beta)))
        grad = x1.T @ (weight * (p - y)) + penalty * beta
        hess = (x1 * (weight * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return beta


def as_stage(beta: np.ndarray, design: Design) -> dict:
    weights: dict[str, dict[str, float]] = {}
    for (name, level), w in zip(design.columns, beta[1:]):
        weights.setdefault(name, {})[level] = round(float(w), 3)
    return {"intercept": round(float(beta[0]), 3), "weights": weights}


def probabilities(stage: dict, x: np.ndarray, design: Design) -> np.ndarray:
    w = np.array([stage["weights"].get(n, {}).get(lvl, 0.0) for n, lvl in design.columns])
    return 1.0 / (1.0 + np.exp(-(stage["intercept"] + x @ w)))


def _labelled(d, only=None):
    """(rows, labels, weights) of a group's labelled pairs, optionally of some indexes."""
    idx = [i for i, (label, _) in enumerate(d.labels) if label is not None and (only is None or i in only)]
    return idx, np.array([d.labels[i][0] for i in idx], dtype=float), np.array([1.0 if d.labels[i][1] is not None else WEAK_WEIGHT for i in idx])


def linked(d, assignment: dict) -> list[int]:
    """The pairs the assignment links that make a finding if their link holds."""
    p = probabilities(assignment, d.xa, ASSIGNMENT)
    return [i for i in mutual_best(d.pairs, p.tolist()) if d.verdicts[i] is not None]


def fit_stages(data, l2: float = L2) -> dict[str, dict]:
    """`assignment` on every labelled candidate pair; `confirmation` on those that would
    make a finding if linked. (Fitted on the linked ones only, it learned that a different
    company hardly matters: the assignment had already dropped most such pairs, and what
    it left were mostly names read wrong. Measured in bench/README.md.)"""
    xs, ys, ws = [], [], []
    for d in data:
        idx, y, w = _labelled(d)
        xs.append(d.xa[idx]), ys.append(y), ws.append(w)
    assignment = as_stage(logistic_fit(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), l2), ASSIGNMENT)
    xs, ys, ws = [], [], []
    for d in data:
        idx, y, w = _labelled(d, {i for i, v in enumerate(d.verdicts) if v is not None})
        xs.append(d.xc[idx]), ys.append(y), ws.append(w)
    confirmation = as_stage(logistic_fit(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), l2), CONFIRMATION)
    return {"assignment": assignment, "confirmation": confirmation}


def outcomes(d, stages: dict, severity_of) -> list[tuple[float, str, bool, bool]]:
    """(link probability, value relation, code is an error, on a labelled conflict pair)
    per linked pair of a group whose values differ."""
    p = probabilities(stages["confirmation"], d.xc, CONFIRMATION)
    return [(float(p[i]), d.verdicts[i].relation, severity_of(d.verdicts[i].code) == "error", d.is_conflict(i)) for i in linked(d, stages["assignment"])]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrate(rows: list[tuple[float, str, bool, bool]]) -> tuple[float, dict[str, float]]:
    """slope and per-relation offset of P(conflict) = logistic(slope * logit(p) + offset)."""
    x = np.array([[_logit(p)] + [1.0 if rel == r else 0.0 for r in RELATIONS] for p, rel, _, _ in rows])
    y = np.array([float(hit) for *_, hit in rows])
    beta = logistic_fit(x, y, np.ones(len(y)), CALIBRATION_L2)
    # the intercept is shared; each relation's offset is its own column's weight on top
    return float(beta[1]), {r: float(beta[0] + beta[2 + k]) for k, r in enumerate(RELATIONS)}


def choose_thresholds(rows: list[tuple[float, str, bool, bool]]) -> dict[str, dict[str, float]]:
    """The severity thresholds per relation, as link probabilities, from out-of-fold rows."""
    slope, offset = calibrate(rows)
    q = np.array([1 / (1 + math.exp(-(slope * _logit(p) + offset[rel]))) for p, rel, _, _ in rows])
    hit = np.array([h for *_, h in rows], dtype=bool)
    error_code = np.array([e for _, _, e, _ in rows], dtype=bool)
    grid = [round(float(t), 2) for t in np.arange(0.05, 0.99, 0.01)]
    reachable = max(int(hit.sum()), 1)

    def f1(t: float) -> float:
        kept = q >= t
        return 2 * float(hit[kept].sum()) / (int(kept.sum()) + reachable) if kept.any() else 0.0

    warning = max(grid, key=lambda t: (f1(t), t))

    def error_precision_holds(t: float) -> bool:
        kept = (q >= t) & error_code
        return int(kept.sum()) < ERROR_SUPPORT or hit[kept].mean() >= ERROR_PRECISION

    # The lowest threshold from which precision holds at every higher one, over at least
    # ERROR_SUPPORT errors: the first grid point to reach it is often a lucky dip.
    error = None
    for t in reversed([t for t in grid if t >= warning]):
        if not error_precision_holds(t):
            break
        if int(((q >= t) & error_code).sum()) >= ERROR_SUPPORT:
            error = t

    def back(t: float | None, rel: str) -> float:
        # the link probability at which the calibrated probability reaches t
        if t is None or slope <= 0:
            return 1.0
        return round(min(1.0, 1 / (1 + math.exp(-(_logit(t) - offset[rel]) / slope))), 3)

    return {rel: {"warning": back(warning, rel), "error": max(back(warning, rel), back(error, rel))} for rel in RELATIONS}


def train(data, severity_of) -> dict:
    """Everything rules/linkage.yaml holds, from the labelled groups in `data`."""
    rows: list[tuple[float, str, bool, bool]] = []
    for k, held in enumerate(data):
        rows += outcomes(held, fit_stages(data[:k] + data[k + 1 :]), severity_of)
    stages = fit_stages(data)
    return {**stages, "severity": choose_thresholds(rows), "calibration_rows": len(rows)}


def render(trained: dict, data) -> str:
    sets = sorted({d.group.set for d in data})
    positives = sum(1 for d in data for label in d.labels if label[0] == 1)
    negatives = sum(1 for d in data for label in d.labels if label[0] == 0)
    header = (
        "# Claim linkage: log-odds that two figures state the same quantity, one weight per comparison\n"
        "# level (factcheck/link/comparisons.py). A pair's score is the intercept plus the weight of each\n"
        "# comparison's level; its probability the logistic of that score. `assignment` (fitted on every\n"
        "# labelled candidate pair, how the two values relate among its comparisons) chooses each figure's\n"
        "# partner in each other article; `confirmation` (fitted on the labelled pairs whose values would\n"
        "# make a finding, blind to the values) gives the link probability a finding reports. A level a\n"
        "# comparison does not list is its neutral one, weight 0. `severity`: per value relation of a\n"
        "# finding, the link probability a warning and an error need, chosen on out-of-fold probabilities\n"
        f"# (leave one story group out) for error precision >= {ERROR_PRECISION:.0%} there.\n"
        "# Written by `python bench/train_linkage.py` (same data, same file) from the labelled story groups\n"
        f"# of ../shared ({', '.join(sets)}: {len(data)} groups) and bench/data/linkage_labels.yaml.\n"
        "# Retrain on a newsroom's own labels rather than editing weights by hand.\n"
    )
    body = {
        "version": 2,
        "trained": {
            "command": "python bench/train_linkage.py",
            "sets": sets,
            "groups": len(data),
            "same_pairs": positives,
            "different_pairs": negatives,
            "l2": L2,
            "weak_negative_weight": WEAK_WEIGHT,
            "calibration_pairs": trained["calibration_rows"],
        },
        "assignment": trained["assignment"],
        "confirmation": trained["confirmation"],
        "severity": trained["severity"],
    }
    return header + yaml.safe_dump(body, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    from bench.linkage_data import build_dataset
    from factcheck.rules import load_rules

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if rules/linkage.yaml differs from what training writes")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "rules" / "linkage.yaml"))
    args = parser.parse_args(argv)

    rules = load_rules()
    data = build_dataset(rules)
    text = render(train(data, rules.severity), data)
    out = Path(args.out)
    if args.check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print("rules/linkage.yaml is what training writes" if same else "rules/linkage.yaml differs from what training writes")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} from {len(data)} groups")
    return 0


if __name__ == "__main__":
    sys.exit(main())
