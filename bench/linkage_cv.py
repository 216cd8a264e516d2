"""Leave-one-group-out cross-validation of claim linkage over every labelled story group.

    python bench/linkage_cv.py [--verbose]
    python bench/linkage_cv.py --hold-out set    # train on the other sets only
    python bench/linkage_cv.py --links-only [--drop unit,session]   # the links alone, under a minute

For each labelled story group (realnews, realnews2, the seeds, this project's corpus/): train everything
rules/linkage.yaml holds on all other groups (bench/train_linkage.train: both weight
sets, and the severity thresholds from a further leave-one-group-out inside those
groups), then check the held-out group with the real comparison stage
(factcheck.compare.compare_block over its link blocks, with the fold's model) and score
its findings with ../shared/tools/score_findings.py's matching. Nothing chosen from data
sees the group it is checked on.

`--hold-out set` trains each fold on the groups of the other sets only (leave one set
out): a held-out realnews group is checked with weights and thresholds that saw no
realnews group. The labellers of a set share conventions (what a hedged restatement is,
which windows count as one) that leave-one-group-out lets the training see; a set of
stories nobody has labelled for this tool has none of them, so this is the nearer
estimate of what a newsroom's own new stories get.

`--links-only` reads the links alone, without the severity thresholds or the comparison
stage: each fold fits the two weight sets only, and the run prints how well the link
probability ranks the held-out linked pairs whose values differ and how many labelled
conflicts keep a pair through the assignment (under a minute, against about ten). `--drop`
leaves comparisons out of both stages (their levels read as the neutral one), with or
without `--links-only`: what each comparison is worth, measured in the same folds.

Prints a per-group table, the totals, a reliability table (link probability of linked
pairs whose values differ against the observed share of `same` labels, out of fold), and
last:
`linkage cv: G groups; recall R/N; error precision E/M; finding precision F/T; blocking recall B/C`.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import statistics
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.linkage_data import RANK, Group, build_dataset, matches  # noqa: E402
from bench.train_linkage import ASSIGNMENT, CONFIRMATION, fit_stages, linked, probabilities, train  # noqa: E402
from factcheck.compare import compare_block  # noqa: E402
from factcheck.extract.periods import Relation, relate  # noqa: E402
from factcheck.link import group_by_key  # noqa: E402
from factcheck.link.comparisons import COMPARISONS, VALUE  # noqa: E402
from factcheck.link.model import LinkageFile, LinkModel  # noqa: E402
from factcheck.rules import load_rules  # noqa: E402


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
    found_any: int = 0  # conflicts with a finding of any severity on a pair of theirs
    labelled_errors: int = 0
    errors_as_errors: int = 0  # labelled errors found as errors
    lost: Counter = field(default_factory=Counter)  # --why: missed conflicts by the furthest stage a pair reached

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        return (
            f"recall {self.recall}/{self.conflicts} ({self.recall / max(self.conflicts, 1):.0%}); "
            f"error precision {self.errors_hit}/{self.errors}; finding precision {self.findings_hit}/{self.findings} "
            f"({self.findings_hit / max(self.findings, 1):.0%}); findings per article {self.findings / max(self.articles, 1):.2f}; "
            f"clean pairs as errors {self.clean_as_error}; blocking recall {self.blocked}/{self.blockable}"
        )


def score_group(group: Group, findings: list[dict]) -> Score:
    """As ../shared/tools/score_groups.py scores one group."""
    s = Score(conflicts=len(group.conflicts), articles=len(group.files))
    conflict_pairs = [p for item in group.conflicts for p in item["pairs"]]
    for item in group.conflicts:
        least = RANK[item.get("severity", "warning")]
        best = max((RANK[f["severity"]] for f in findings if any(matches(f, p) for p in item["pairs"])), default=-1)
        s.recall += best >= least
        s.found_any += best >= RANK["info"]
        if item.get("severity") == "error":
            s.labelled_errors += 1
            s.errors_as_errors += best == RANK["error"]
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
    for block in group_by_key(group.claims, rules).values():
        findings += compare_block(block, rules, model=model)
    return [f.model_dump(mode="json") for f in findings]


# The stages a gold conflict pair passes, in order; a miss is counted at the furthest any
# of its pairs reached.
STAGES = ("extraction", "blocking", "comparison", "assignment", "threshold")


def why_missed(held, pair: list, trained: dict) -> tuple[str, str]:
    """The stage a gold conflict pair is lost at, and why: extraction (no claim in a
    snippet), blocking (no candidate pair), comparison (the values are read as agreeing,
    or the periods as disjoint), assignment (another partner is likelier) or the link
    threshold of its relation (linked, not sure enough)."""
    from bench.linkage_data import _as_dict, gold_pair_of, side_match

    left = [c for c in held.group.claims if side_match(_as_dict(c), pair[0], pair[1])]
    right = [c for c in held.group.claims if side_match(_as_dict(c), pair[2], pair[3])]
    name = f"{pair[0]}:{pair[1]!r} vs {pair[2]}:{pair[3]!r}"
    if not left or not right:
        return "extraction", f"extraction: no claim in {'the first' if not left else 'the second'} snippet; {name}"
    found = [i for i, (a, b) in enumerate(held.pairs) if gold_pair_of(a, b, pair)]
    if not found:
        return "blocking", f"blocking: {len(left)}x{len(right)} claims, no candidate pair; {name}"
    chosen = set(linked(held, trained["assignment"]))
    pa = probabilities(trained["assignment"], held.xa, ASSIGNMENT)
    pc = probabilities(trained["confirmation"], held.xc, CONFIRMATION)
    parts, reached = [], "comparison"
    for i in found:
        a, b = held.pairs[i]
        v = held.verdicts[i]
        what = f"{a.text!r}~{b.text!r} assign {pa[i]:.2f}"
        if v is None:
            disjoint = relate(a.period, b.period) is Relation.DISJOINT
            what += " no verdict: periods disjoint" if disjoint else " no verdict: values agree"
        elif i not in chosen:
            rival = max((pa[j] for j, (x, y) in enumerate(held.pairs) if j != i and (x is a or y is b or x is b or y is a)), default=0.0)
            what += f" not mutual best (rival {rival:.2f}) {v.code}/{v.relation}"
            reached = max(reached, "assignment", key=STAGES.index)
        else:
            t = trained["severity"][v.relation]
            what += f" linked, confirm {pc[i]:.2f} vs warning {t['warning']:.2f} error {t['error']:.2f} {v.code}/{v.relation}"
            reached = "threshold"
        parts.append(what)
    return reached, f"{name}: " + "; ".join(parts[:4]) + (f" (+{len(parts) - 4})" if len(parts) > 4 else "")

_FOLD: tuple = ()


def _run_fold(k: int) -> tuple[Score, str, str, dict[int, tuple[int, int]]]:
    """Train on every group but group k, check group k: its score, set, printed lines and
    reliability bins."""
    data, rules, args = _FOLD
    held = data[k]
    if args.hold_out == "set":
        training = [d for d in data if d.group.set != held.group.set]
    else:
        training = data[:k] + data[k + 1 :]
    trained = train(training, rules)
    model = LinkModel(LinkageFile(assignment=trained["assignment"], confirmation=trained["confirmation"], severity=trained["severity"]))
    findings = check_group(held.group, model, rules)
    s = score_group(held.group, findings)
    s.blocked, s.blockable = held.blocked_gold
    bins: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    p = probabilities(trained["confirmation"], held.xc, CONFIRMATION)
    chosen = linked(held, trained["assignment"])
    scored: list[tuple[float, int]] = []
    for i in chosen:
        label = held.labels[i][0]
        if label is not None:
            bins[min(int(p[i] * 10), 9)][0] += 1
            bins[min(int(p[i] * 10), 9)][1] += label
            if held.verdicts[i] is not None:
                scored.append((float(p[i]), label))
    s.ranked = scored
    s.thresholds = trained["severity"]
    s.assigned = kept_conflicts(held, chosen)  # threshold-free: conflicts that keep a linked pair
    lines = [
        f"{held.group.id:<22} {s.recall:>3}/{s.conflicts:<3} {s.errors_hit:>3}/{s.errors:<4} {s.findings_hit:>4}/{s.findings:<4} "
        f"{s.findings / max(s.articles, 1):>6.2f} {s.clean_as_error:>9} {s.blocked:>3}/{s.blockable:<3}"
    ]
    if args.verbose:
        lines.append("    thresholds " + " ".join(f"{r}:{t['warning']:.2f}/{t['error']:.2f}" for r, t in trained["severity"].items()))
        for item in held.group.conflicts:
            least = RANK[item.get("severity", "warning")]
            best = max((RANK[f["severity"]] for f in findings if any(matches(f, p) for p in item["pairs"])), default=-1)
            found = {v: k for k, v in RANK.items()}.get(best, "none")
            lines.append(f"    {'HIT ' if best >= least else 'MISS'} {item['id']} (needs {item.get('severity', 'warning')}, found {found})")
            if args.why and best < least:
                stages = []
                for pair in item["pairs"]:
                    stage, why = why_missed(held, pair, trained)
                    stages.append(stage)
                    lines.append("        " + why)
                s.lost[max(stages, key=STAGES.index)] += 1
        for f in findings:
            if not any(matches(f, p) for item in held.group.conflicts for p in item["pairs"]):
                a, b, *more = f["claims"]
                also = f" (+{len(more)} more)" if more else ""
                lines.append(f"    NOISE {f['severity']} {f['code']} {Path(a['path']).name}:{a['text']} vs {Path(b['path']).name}:{b['text']}{also} ({f['link']['summary']})")
    return s, held.group.set, "".join(line + "\n" for line in lines), {b: (n, same) for b, (n, same) in bins.items()}


def link_ranking(ranked: list[tuple[float, int]]) -> tuple[float, float, int]:
    """Average precision and log loss of link probabilities against `same` labels, and the
    number of `same` pairs: how well the links rank, whatever the thresholds."""
    ranked = sorted(ranked, key=lambda t: -t[0])
    hits, precisions = 0, []
    for n, (_, label) in enumerate(ranked, 1):
        if label:
            hits += 1
            precisions.append(hits / n)
    loss = -sum(math.log(max(p, 1e-6)) if label else math.log(max(1 - p, 1e-6)) for p, label in ranked) / max(len(ranked), 1)
    return sum(precisions) / max(len(precisions), 1), loss, hits


def kept_conflicts(held, chosen: list[int]) -> tuple[int, int]:
    """Labelled conflicts of a group with a pair the assignment links, and with any scored pair."""
    ids = {item["id"] for item in held.group.conflicts}
    reached = {held.labels[i][1] for i in range(len(held.pairs)) if held.labels[i][1] in ids and held.labels[i][0] == 1}
    kept = {held.labels[i][1] for i in chosen if held.labels[i][1] in ids and held.labels[i][0] == 1}
    return len(kept), len(reached)


def drop_comparisons(data, names: list[str]) -> None:
    """Read the named comparisons as their neutral level in both stages' rows."""
    for d in data:
        vectors = [{k: v for k, v in vector.items() if k not in names} for vector in d.vectors]
        d.xc = CONFIRMATION.rows(vectors)
        d.xa = ASSIGNMENT.rows([{**v, VALUE.name: level} for v, level in zip(vectors, d.levels)])


def links_only(data, hold_out: str) -> int:
    """Each fold's two weight sets, and how they rank and keep the held-out group's links."""
    ranked: list[tuple[float, int]] = []
    kept = reached = 0
    stages: dict[object, dict] = {}
    for k, held in enumerate(data):
        key = held.group.set if hold_out == "set" else k
        if key not in stages:
            training = [d for d in data if d.group.set != held.group.set] if hold_out == "set" else data[:k] + data[k + 1 :]
            stages[key] = fit_stages(training)
        p = probabilities(stages[key]["confirmation"], held.xc, CONFIRMATION)
        chosen = linked(held, stages[key]["assignment"])
        ranked += [(float(p[i]), held.labels[i][0]) for i in chosen if held.labels[i][0] is not None and held.verdicts[i] is not None]
        group_kept, group_reached = kept_conflicts(held, chosen)
        kept, reached = kept + group_kept, reached + group_reached
    average_precision, loss, hits = link_ranking(ranked)
    print(
        f"linkage cv links{' (sets held out)' if hold_out == 'set' else ''}: {len(data)} groups; average precision {average_precision:.3f}; "
        f"log loss {loss:.3f} over {len(ranked)} linked labelled pairs whose values differ ({hits} same quantity); "
        f"conflicts kept through the assignment {kept}/{reached}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every gold conflict's outcome and every other finding")
    parser.add_argument("--why", action="store_true", help="with --verbose: the stage each missed conflict pair is lost at")
    parser.add_argument("--hold-out", choices=("group", "set"), default="group",
                        help="what each fold leaves out of its training: its story group (default), or its whole set")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="folds run at once (default: one per core)")
    parser.add_argument("--links-only", action="store_true", help="fit the weights only and read the links: no thresholds, no findings")
    parser.add_argument("--drop", default="", metavar="NAME[,NAME]", help="comparisons left out of both stages (link/comparisons.py)")
    args = parser.parse_args(argv)
    drop = [name for name in args.drop.split(",") if name]
    if unknown := sorted(set(drop) - {c.name for c in COMPARISONS}):
        parser.error(f"--drop: no comparison named {', '.join(unknown)} (there are: {', '.join(c.name for c in COMPARISONS)})")
    rules = load_rules()
    data = build_dataset(rules)
    if args.hold_out == "set" and len({d.group.set for d in data}) < 2:
        parser.error("--hold-out set needs labelled groups from at least two sets: one set held out leaves nothing to train on")
    if drop:
        drop_comparisons(data, drop)
    if args.links_only:
        return links_only(data, args.hold_out)
    total = Score()
    per_set: dict[str, Score] = defaultdict(Score)
    reliability: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    scores: list[Score] = []
    print(f"{'group':<22} {'recall':>7} {'err.prec':>8} {'find.prec':>9} {'f/art':>6} {'clean=err':>9} {'block':>7}")
    global _FOLD
    _FOLD = (data, rules, args)
    # Folds are independent: each trains on the other groups and checks its own. Forked
    # workers share the extracted data; results come back in group order.
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=multiprocessing.get_context("fork")) as pool:
        for s, group_set, text, bins in pool.map(_run_fold, range(len(data))):
            scores.append(s)
            total.add(s)
            per_set[group_set].add(s)
            for b, (n, same) in bins.items():
                reliability[b][0] += n
                reliability[b][1] += same
            print(text, end="", flush=True)
    print()
    print("reliability (linked pairs whose values differ, labelled, out of fold): link probability vs observed share of `same`")
    for b in range(10):
        n, same = reliability[b]
        if n:
            print(f"  {b / 10:.1f}-{(b + 1) / 10:.1f}  {n:>6} pairs  observed {same / n:.2f}")
    print()
    # The thresholds move with every retraining and a conflict near one comes and goes;
    # these two read the links themselves: how well the link probability ranks the linked
    # pairs whose values differ (labelled same quantity above labelled two), and how many
    # labelled conflicts keep a candidate pair through the assignment.
    ranked = [pair for s in scores for pair in s.ranked]
    average_precision, loss, hits = link_ranking(ranked)
    kept, reached = (sum(s.assigned[k] for s in scores) for k in (0, 1))
    print(
        f"links: average precision {average_precision:.3f} and log loss {loss:.3f} over {len(ranked)} "
        f"linked labelled pairs whose values differ ({hits} same quantity); conflicts kept through the assignment {kept}/{reached}"
    )
    print(
        f"severity: conflicts found at any severity {total.found_any}/{total.conflicts}; "
        f"labelled errors found as errors {total.errors_as_errors}/{total.labelled_errors}"
    )
    # How far each fold's thresholds lie from the others': one training group more or less
    # moves them, and a conflict near one comes and goes with them.
    spread = []
    for relation in scores[0].thresholds:
        for kind in ("warning", "error"):
            values = [s.thresholds[relation][kind] for s in scores]
            spread.append(f"{relation} {kind} {statistics.mean(values):.2f}±{statistics.pstdev(values):.2f}")
    print("fold thresholds (mean±sd): " + ", ".join(spread))
    print()
    for name, s in per_set.items():
        print(f"{name:<10} {s.line()}")
    print(f"totals     {total.line()}")
    if args.why:
        print("misses by the furthest stage a pair reached: " + ", ".join(f"{stage} {total.lost[stage]}" for stage in reversed(STAGES)))
    print(
        f"linkage cv{' (sets held out)' if args.hold_out == 'set' else ''}: {len(data)} groups; recall {total.recall}/{total.conflicts}; error precision {total.errors_hit}/{total.errors}; "
        f"finding precision {total.findings_hit}/{total.findings}; blocking recall {total.blocked}/{total.blockable}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
