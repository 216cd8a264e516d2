"""Fit the link weights of rules/linkage.yaml from labelled pairs.

    python bench/train_linkage.py            # writes rules/linkage.yaml
    python bench/train_linkage.py --check    # exit 1 if the file differs from what it would write

A regularised logistic regression over one-hot comparison levels (every level its own
column, so each gets a readable weight; the L2 penalty makes the split between levels and
intercept unique). Newton's method, numpy only, no randomness: the same labelled data give
the same file. Link thresholds are chosen by leave-one-group-out cross-validation inside
the training data (choose_settings, which also picks the L2 penalty), never on the pairs
they are then applied to.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factcheck.link.comparisons import COMPARISONS  # noqa: E402

L2 = 1.0  # the penalty when none is chosen
L2_GRID = (0.3, 1.0, 3.0)  # the penalties choose_settings picks from, inside the training folds
# Unlabelled negatives (candidate pairs with differing values that no gold item names) are
# many and less sure than labelled ones: they count at this weight.
WEAK_WEIGHT = 0.3
ERROR_PRECISION = 0.9  # the link probability for an error is chosen to reach this in cross-validation
ERROR_SUPPORT = 5  # over at least this many errors: two right of two is no evidence of 90%
COLUMNS = [(c.name, level) for c in COMPARISONS for level in c.levels]
_INDEX = {col: i for i, col in enumerate(COLUMNS)}


def design(vectors: Sequence[dict[str, str]]) -> np.ndarray:
    x = np.zeros((len(vectors), len(COLUMNS)))
    for row, vector in enumerate(vectors):
        for name, level in vector.items():
            x[row, _INDEX[(name, level)]] = 1.0
    return x


def fit(vectors: Sequence[dict[str, str]], labels: Sequence[int], sample_weight: Sequence[float] | None = None, l2: float = L2) -> dict:
    """{intercept, weights{comparison: {level: w}}} by penalised Newton iterations."""
    x = design(vectors)
    y = np.asarray(labels, dtype=float)
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    x1 = np.hstack([np.ones((len(y), 1)), x])
    penalty = np.full(x1.shape[1], l2)
    penalty[0] = 1e-6  # the intercept is not shrunk
    beta = np.zeros(x1.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x1 @ beta)))
        grad = x1.T @ (sw * (p - y)) + penalty * beta
        hess = (x1 * (sw * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    weights: dict[str, dict[str, float]] = {}
    for (name, level), w in zip(COLUMNS, beta[1:]):
        weights.setdefault(name, {})[level] = round(float(w), 3)
    return {"intercept": round(float(beta[0]), 3), "weights": weights}


def main(argv: list[str] | None = None) -> int:
    from bench.linkage_cv import build_dataset, choose_settings, fit_stages, training_rows

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if rules/linkage.yaml differs from what training writes")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "rules" / "linkage.yaml"))
    args = parser.parse_args(argv)

    data = build_dataset()
    vectors, _, _ = training_rows(data)
    l2, thresholds = choose_settings(data)
    stages = fit_stages(data, l2)
    text = render(stages, thresholds, data, l2)
    out = Path(args.out)
    if args.check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print("rules/linkage.yaml is what training writes" if same else "rules/linkage.yaml differs from what training writes")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}: {len(vectors)} labelled pairs from {len(data)} groups; thresholds {thresholds}")
    return 0


def render(stages: dict, thresholds: dict, data, l2: float) -> str:
    sets = sorted({d.group.set for d in data})
    positives = sum(1 for d in data for label in d.labels if label[0] == 1)
    negatives = sum(1 for d in data for label in d.labels if label[0] == 0)
    header = (
        "# Claim linkage weights: log-odds that two figures state the same quantity, one per comparison\n"
        "# level (factcheck/link/comparisons.py). A pair's score is the intercept plus the weight of each\n"
        "# comparison's level; its probability the logistic of that score. `assignment` (fitted on every\n"
        "# candidate pair) chooses each figure's partner in each other article; `confirmation` (fitted on the\n"
        "# pairs assignment chooses whose values differ) gives the link probability a finding reports.\n"
        "# Written by `python bench/train_linkage.py` (same data, same file) from the labelled story groups\n"
        f"# of ../shared ({', '.join(sets)}: {len(data)} groups) and bench/data/linkage_labels.yaml.\n"
        "# thresholds: the link probability a conflicting pair needs to be reported as an error (at its code's\n"
        "# severity) or as a warning, chosen by leave-one-group-out cross-validation for error precision\n"
        f"# >= {ERROR_PRECISION:.0%}. Retrain on a newsroom's own labels rather than editing weights by hand.\n"
    )
    body = {
        "version": 1,
        "trained": {
            "command": "python bench/train_linkage.py",
            "sets": sets,
            "groups": len(data),
            "same_pairs": positives,
            "different_pairs": negatives,
            "l2": l2,
            "weak_negative_weight": WEAK_WEIGHT,
        },
        "thresholds": thresholds,
        "assignment": stages["assignment"],
        "confirmation": stages["confirmation"],
    }
    return header + yaml.safe_dump(body, sort_keys=False, width=120)


if __name__ == "__main__":
    sys.exit(main())
