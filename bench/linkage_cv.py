"""Leave-one-group-out cross-validation of claim linkage over every labelled story group.

    python bench/linkage_cv.py [--verbose]

For each story group of ../shared (realnews, realnews2, the seeds): fit the link weights on
all other groups (bench/train_linkage.fit), choose the link thresholds by a further
leave-one-group-out inside those groups, then check the held-out group with the real
comparison stage (factcheck.compare.compare_linked over its blocks, with the fold's model)
and score its findings with ../shared/tools/score_findings.py's matching. Nothing chosen
from data sees the group it is checked on.

Prints a per-group table, the totals, a reliability table (predicted link probability
against the observed share of `same` labels, out of fold), and last:
`linkage cv: G groups; recall R/N; error precision E/M; finding precision F/T; blocking recall B/C`.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.linkage_data import RANK, Group, attach_claims, gold_pair_of, gold_sides, label_pairs, load_groups, load_labels, matches  # noqa: E402
from bench.train_linkage import ERROR_PRECISION, ERROR_SUPPORT, L2, L2_GRID, WEAK_WEIGHT, design, fit  # noqa: E402
from factcheck.compare import compare_linked, judge_link  # noqa: E402
from factcheck.extract.periods import relate  # noqa: E402
from factcheck.link import candidate_pairs, group_by_key, mutual_best, pair_vectors  # noqa: E402
from factcheck.link.model import LinkageFile, LinkModel, Stage  # noqa: E402
from factcheck.models import Claim  # noqa: E402
from factcheck.pipeline import find_conflicts  # noqa: E402
from factcheck.rules import load_rules  # noqa: E402



@dataclass
class GroupData:
    group: Group
    pairs: list[tuple[Claim, Claim]]
    vectors: list[dict[str, str]]
    labels: list[tuple[int | None, str | None]]
    codes: list[str | None] = field(default_factory=list)  # the code judge_pair gives, None: values agree
    x: np.ndarray | None = None
    blocked_gold: tuple[int, int] = (0, 0)  # gold pairs reaching scoring, gold pairs with claims on both sides


def build_dataset(rules=None) -> list[GroupData]:
    rules = rules or load_rules()
    groups = load_groups()
    attach_claims(groups, rules)
    labels = load_labels()
    data = []
    for group in groups:
        pairs = [p for block in group_by_key(group.claims).values() for p in candidate_pairs(block, rules)]
        vectors = pair_vectors(pairs)
        codes = []
        for a, b in pairs:
            first, second = sorted((a, b), key=lambda c: (c.path, c.line, c.column))
            verdict = judge_link(first, second, relate(first.period, second.period), rules)
            codes.append(verdict[0] if verdict else None)
        d = GroupData(group, pairs, vectors, label_pairs(group, pairs, labels), codes)
        d.x = design(vectors)
        d.blocked_gold = blocking_recall(group, pairs)
        data.append(d)
    return data


def blocking_recall(group: Group, pairs: list[tuple[Claim, Claim]]) -> tuple[int, int]:
    """Of the gold pairs whose two sides both carry an extracted claim, how many reach scoring."""
    from bench.linkage_data import side_match

    reached = possible = 0
    as_dict = {id(c): {"path": c.path, "sentence": c.sentence, "text": c.text} for c in group.claims}
    for p in gold_sides(group):
        left = [c for c in group.claims if side_match(as_dict[id(c)], p[0], p[1])]
        right = [c for c in group.claims if side_match(as_dict[id(c)], p[2], p[3])]
        if not left or not right:
            continue
        possible += 1
        reached += any(gold_pair_of(a, b, p) for a, b in pairs)
    return reached, possible


def training_rows(data: list[GroupData]) -> tuple[list[dict], list[int], list[float]]:
    vectors, labels, weights = [], [], []
    for d in data:
        for vector, (label, item) in zip(d.vectors, d.labels):
            if label is None:
                continue
            vectors.append(vector)
            labels.append(label)
            weights.append(1.0 if item is not None else WEAK_WEIGHT)
    return vectors, labels, weights


def fit_stages(data: list[GroupData], l2: float = L2) -> dict[str, dict]:
    """Both weight sets of rules/linkage.yaml: `assignment` on every labelled candidate
    pair; `confirmation` on the pairs that assignment then chooses whose values differ,
    the pairs a finding is decided on (in-sample choice: these are training groups)."""
    assignment = fit(*training_rows(data), l2=l2)
    vectors, labels, weights = [], [], []
    for d in data:
        for i in _assigned(d, _probabilities(assignment, d)):
            label, item = d.labels[i]
            if label is None or d.codes[i] is None:
                continue
            vectors.append(d.vectors[i])
            labels.append(label)
            weights.append(1.0 if item is not None else WEAK_WEIGHT)
    return {"assignment": assignment, "confirmation": fit(vectors, labels, weights, l2=l2)}


def _probabilities(stage: dict, d: GroupData) -> np.ndarray:
    from bench.train_linkage import COLUMNS

    w = np.array([stage["weights"][n][lvl] for n, lvl in COLUMNS])
    return 1.0 / (1.0 + np.exp(-(stage["intercept"] + d.x @ w)))


def _assigned(d: GroupData, p: np.ndarray) -> list[int]:
    return mutual_best(d.pairs, p.tolist())


def _link_outcomes(d: GroupData, stages: dict[str, dict], rules) -> list[tuple[float, bool, bool]]:
    """(link probability, code is an error code, on a gold conflict pair) per assigned link with a verdict."""
    out = []
    p = _probabilities(stages["confirmation"], d)
    for i in _assigned(d, _probabilities(stages["assignment"], d)):
        code = d.codes[i]
        if code is None:
            continue
        out.append((float(p[i]), rules.severity(code) == "error", d.labels[i][1] is not None and d.labels[i][0] == 1 and _is_conflict(d, i)))
    return out


def _is_conflict(d: GroupData, i: int) -> bool:
    item = d.labels[i][1]
    return any(c["id"] == item for c in d.group.conflicts)


def choose_settings(data: list[GroupData], rules=None) -> tuple[float, dict[str, float]]:
    """The L2 penalty and the thresholds, from out-of-fold link probabilities over `data`
    (leave one group out): the penalty whose out-of-fold links best balance conflicts
    found against findings read (F1 at its best warning threshold), then its thresholds."""
    rules = rules or load_rules()
    best: tuple[float, float, dict[str, float]] | None = None
    for l2 in L2_GRID:
        outcomes: list[tuple[float, bool, bool]] = []
        for k, held in enumerate(data):
            outcomes += _link_outcomes(held, fit_stages(data[:k] + data[k + 1 :], l2), rules)
        quality, thresholds = _thresholds(outcomes)
        if best is None or quality > best[0]:
            best = (quality, l2, thresholds)
    assert best is not None
    return best[1], best[2]


def _thresholds(outcomes: list[tuple[float, bool, bool]]) -> tuple[float, dict[str, float]]:
    grid = [round(float(t), 2) for t in np.arange(0.05, 0.99, 0.01)]

    def precision(rows) -> float:
        return sum(hit for *_, hit in rows) / len(rows) if rows else 1.0

    reachable = sum(hit for *_, hit in outcomes) or 1

    def f1(t: float) -> float:
        rows = [o for o in outcomes if o[0] >= t]
        hits = sum(hit for *_, hit in rows)
        return 2 * hits / (len(rows) + reachable) if rows else 0.0

    # The warning threshold balances findings an editor must read against conflicts found
    # (F1 over out-of-fold links); the error threshold is the lowest that keeps errors at
    # ERROR_PRECISION over at least ERROR_SUPPORT errors (fewer say nothing), or none at all.
    warning = max(grid, key=lambda t: (f1(t), t))
    error = next(
        (t for t in grid if t >= warning and len(rows := [o for o in outcomes if o[0] >= t and o[1]]) >= ERROR_SUPPORT and precision(rows) >= ERROR_PRECISION),
        1.0,
    )
    return f1(warning), {"error": error, "warning": warning}


@dataclass
class Score:
    recall: int = 0
    conflicts: int = 0
    errors_hit: int = 0
    errors: int = 0
    findings_hit: int = 0
    findings: int = 0
    articles: int = 0
    clean_as_error: int = 0
    blocked: int = 0
    blockable: int = 0

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_group(group: Group, findings: list[dict]) -> Score:
    s = Score(conflicts=len(group.conflicts), articles=len(group.files))
    conflict_pairs = [p for item in group.conflicts for p in item["pairs"]]
    for item in group.conflicts:
        least = RANK[item.get("severity", "warning")]
        best = max((RANK[f["severity"]] for f in findings if any(matches(f, p) for p in item["pairs"])), default=-1)
        s.recall += best >= least
    errors = [f for f in findings if f["severity"] == "error"]
    s.errors = len(errors)
    s.errors_hit = sum(1 for f in errors if any(matches(f, p) for p in conflict_pairs))
    s.findings = len(findings)
    s.findings_hit = sum(1 for f in findings if any(matches(f, p) for p in conflict_pairs))
    s.clean_as_error = sum(1 for item in group.clean if any(matches(f, p) for f in errors for p in item["pairs"]))
    return s


def check_group(group: Group, model: LinkModel, rules) -> list[dict]:
    """The held-out group through the real comparison stage, findings as the JSON report has them."""
    findings = []
    for block in group_by_key(group.claims).values():
        findings += compare_linked(block, rules, model=model)
    return [f.model_dump(mode="json") for f in findings]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every gold conflict's outcome")
    args = parser.parse_args(argv)
    rules = load_rules()
    data = build_dataset(rules)
    total = Score()
    default = Score()  # today's default path, the exact-key comparison, on the same groups
    per_set: dict[str, tuple[Score, Score]] = defaultdict(lambda: (Score(), Score()))
    reliability: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    print(f"{'group':<22} {'recall':>7} {'err.prec':>8} {'find.prec':>9} {'f/art':>6} {'clean=err':>9} {'block':>7}  thresholds")
    for k, held in enumerate(data):
        train = data[:k] + data[k + 1 :]
        l2, thresholds = choose_settings(train, rules)
        stages = fit_stages(train, l2)
        model = LinkModel(LinkageFile(thresholds=thresholds, **{name: Stage(**stage) for name, stage in stages.items()}))
        findings = check_group(held.group, model, rules)
        s = score_group(held.group, findings)
        s.blocked, s.blockable = held.blocked_gold
        total.add(s)
        exact, _ = find_conflicts(held.group.claims, rules)
        e = score_group(held.group, [f.model_dump(mode="json") for f in exact])
        default.add(e)
        per_set[held.group.set][0].add(s)
        per_set[held.group.set][1].add(e)
        p = _probabilities(stages["confirmation"], held)
        for i in _assigned(held, _probabilities(stages["assignment"], held)):
            label = held.labels[i][0]
            if label is not None and held.codes[i] is not None:
                reliability[min(int(p[i] * 10), 9)][0] += 1
                reliability[min(int(p[i] * 10), 9)][1] += label
        print(
            f"{held.group.id:<22} {s.recall:>3}/{s.conflicts:<3} {s.errors_hit:>3}/{s.errors:<4} {s.findings_hit:>4}/{s.findings:<4} "
            f"{s.findings / max(s.articles, 1):>6.2f} {s.clean_as_error:>9} {s.blocked:>3}/{s.blockable:<3}  "
            f"err>={thresholds['error']:.2f} warn>={thresholds['warning']:.2f} l2={l2:g}"
        )
        if args.verbose:
            for item in held.group.conflicts:
                least = RANK[item.get("severity", "warning")]
                best = max((RANK[f["severity"]] for f in findings if any(matches(f, p) for p in item["pairs"])), default=-1)
                print(f"    {'HIT ' if best >= least else 'MISS'} {item['id']} (needs {item.get('severity', 'warning')})")
            for f in findings:
                on = any(matches(f, p) for item in held.group.conflicts for p in item["pairs"])
                if not on:
                    a, b = f["claims"]
                    print(f"    NOISE {f['severity']} {f['code']} {Path(a['path']).name}:{a['text']} vs {Path(b['path']).name}:{b['text']} ({f['link']['summary']})")
    print()
    print("reliability (assigned pairs whose values differ, labelled, out of fold): link probability vs observed share of `same`")
    for b in range(10):
        n, same = reliability[b]
        if n:
            print(f"  {b / 10:.1f}-{(b + 1) / 10:.1f}  {n:>6} pairs  observed {same / n:.2f}")
    print()
    print(
        f"totals: recall {total.recall}/{total.conflicts} ({total.recall / max(total.conflicts, 1):.0%}); "
        f"error precision {total.errors_hit}/{total.errors}; finding precision {total.findings_hit}/{total.findings}; "
        f"findings per article {total.findings / max(total.articles, 1):.2f}; clean pairs as errors {total.clean_as_error}; "
        f"blocking recall {total.blocked}/{total.blockable}"
    )
    print("per set: linked (cross-validated) | exact keys (today's default)")
    for name, (linked, exact) in per_set.items():
        print(f"  {name:<10} " + " | ".join(
            f"recall {x.recall}/{x.conflicts}, error precision {x.errors_hit}/{x.errors}, finding precision {x.findings_hit}/{x.findings}"
            for x in (linked, exact)
        ))
    print(
        f"for comparison, the exact-key path `factcheck check` runs today (fitted to realnews, not cross-validated): "
        f"recall {default.recall}/{default.conflicts}; error precision {default.errors_hit}/{default.errors}; "
        f"finding precision {default.findings_hit}/{default.findings}; findings per article {default.findings / max(default.articles, 1):.2f}"
    )
    print(
        f"linkage cv: {len(data)} groups; recall {total.recall}/{total.conflicts}; error precision {total.errors_hit}/{total.errors}; "
        f"finding precision {total.findings_hit}/{total.findings}; blocking recall {total.blocked}/{total.blockable}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
