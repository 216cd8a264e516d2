"""Measure the NLI stage: separation of gold conflicts from clean pairs, and throughput.

    python bench/build_aegis_model.py --src /tmp/aegis --torch      # once, builds bench/models/
    python bench/nli_bench.py separation --model bench/models/aegis-nli-onnx
    python bench/nli_bench.py throughput --model bench/models/aegis-nli-onnx --model bench/models/aegis-nli-torch

`separation` scores every gold pair of ../shared/seeds/expected.yaml and corpus/expected.yaml
(the sentences holding the two snippets) in both directions, compares the ways of combining
the directions, then runs the real pipeline on both sets and shows what rules/nli.yaml does
to its findings, checked with the same matching as shared/tools/score_findings.py.

`throughput` times each backend on the same directed pairs at batch 1 and 32: model load,
cold scoring (empty cache) and a warm rerun (everything cached, model never loaded).

Results go to stdout (markdown) and, with --json, to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.models import Claim, Finding  # noqa: E402
from factcheck.nli import apply_nli, statement_pair  # noqa: E402
from factcheck.nli.backends import DirectionScore, load_scorer, model_identity, resolve_model, weights_hash  # noqa: E402
from factcheck.nli.policy import load_nli_rules  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {"seeds": (SHARED / "seeds", SHARED / "seeds" / "expected.yaml"), "corpus": (ROOT / "corpus", ROOT / "corpus" / "expected.yaml")}
RANK = {"info": 0, "warning": 1, "error": 2}
COMBINES = ("a->b", "b->a", "mean", "min", "max", "geomean")


@dataclass
class GoldPair:
    dataset: str
    item: str
    label: str  # "conflict" | "clean"
    severity: str | None
    a: str
    b: str


def gold_pairs() -> list[GoldPair]:
    # Ingest alone: the gold names sentences by snippet, so only the split text is needed.
    from factcheck.ingest import load_documents

    out: list[GoldPair] = []
    for name, (root, gold_file) in SETS.items():
        if not gold_file.exists():
            continue
        gold = yaml.safe_load(gold_file.read_text())
        docs, _ = load_documents([str(root)])
        by_name = {Path(d.path).name: d for d in docs}
        for key, label in (("conflicts", "conflict"), ("clean", "clean")):
            for item in gold.get(key) or []:
                seen = set()
                for fa, sa, fb, sb in item["pairs"]:
                    # a snippet may sit in two sentences (an article translated twice): take all
                    sents_a = [s.text for s in by_name[fa].sentences if sa in s.text]
                    sents_b = [s.text for s in by_name[fb].sentences if sb in s.text]
                    for x in sents_a:
                        for y in sents_b:
                            if (x, y) not in seen and x != y:
                                seen.add((x, y))
                                out.append(GoldPair(name, item["id"], label, item.get("severity"), x, y))
    return out


def load(model: str, max_length: int = 256):
    ref = resolve_model(model)
    identity = model_identity(ref, weights_hash(ref), max_length)
    return load_scorer(ref, identity, max_length)


def combined(fwd: DirectionScore, bwd: DirectionScore, how: str) -> float:
    a, b = fwd.contradiction, bwd.contradiction
    return {"a->b": a, "b->a": b, "mean": (a + b) / 2, "min": min(a, b), "max": max(a, b), "geomean": (a * b) ** 0.5}[how]


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a random conflict scores above a random clean pair), ties half."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def separation(args) -> dict:
    scorer = load(args.model)
    pairs = gold_pairs()
    directed = list(dict.fromkeys(d for p in pairs for d in ((p.a, p.b), (p.b, p.a))))
    scores = dict(zip(directed, scorer.score(directed, 32)))
    result: dict = {"model": args.model, "backend": scorer.backend, "pairs": len(pairs)}

    print(f"## Separation: {args.model} ({scorer.backend})\n")
    print(f"{len(pairs)} gold sentence pairs: " + ", ".join(
        f"{ds} {sum(p.dataset == ds and p.label == 'conflict' for p in pairs)} conflict / "
        f"{sum(p.dataset == ds and p.label == 'clean' for p in pairs)} clean" for ds in SETS))
    print("\n| combine | AUC seeds | AUC corpus | AUC all | conflicts median | clean median | clean max | clean >= 0.9 | conflicts >= 0.9 |")
    print("|---|---|---|---|---|---|---|---|---|")
    table = {}
    for how in COMBINES:
        vals = {(p.dataset, p.label): [] for p in pairs}
        for p in pairs:
            vals[(p.dataset, p.label)].append(combined(scores[(p.a, p.b)], scores[(p.b, p.a)], how))
        pos = [v for (ds, lab), vs in vals.items() if lab == "conflict" for v in vs]
        neg = [v for (ds, lab), vs in vals.items() if lab == "clean" for v in vs]
        row = {
            "auc_seeds": auc(vals.get(("seeds", "conflict"), []), vals.get(("seeds", "clean"), [])),
            "auc_corpus": auc(vals.get(("corpus", "conflict"), []), vals.get(("corpus", "clean"), [])),
            "auc_all": auc(pos, neg),
            "conflict_median": statistics.median(pos), "clean_median": statistics.median(neg), "clean_max": max(neg),
            "clean_ge_0.9": sum(v >= 0.9 for v in neg), "conflict_ge_0.9": sum(v >= 0.9 for v in pos),
        }
        table[how] = row
        print(f"| {how} | {row['auc_seeds']:.3f} | {row['auc_corpus']:.3f} | {row['auc_all']:.3f} | {row['conflict_median']:.3f} | "
              f"{row['clean_median']:.3f} | {row['clean_max']:.3f} | {row['clean_ge_0.9']}/{len(neg)} | {row['conflict_ge_0.9']}/{len(pos)} |")
    result["combine"] = table

    # where one direction alone raises an alarm the other does not
    asym = []
    for p in pairs:
        f, b = scores[(p.a, p.b)].contradiction, scores[(p.b, p.a)].contradiction
        if max(f, b) >= 0.9 and min(f, b) < 0.9:
            asym.append((p, f, b))
    print(f"\nPairs where exactly one direction reaches 0.9: {len(asym)} "
          f"({sum(p.label == 'clean' for p, _, _ in asym)} clean, {sum(p.label == 'conflict' for p, _, _ in asym)} conflict)")
    for p, f, b in asym[: args.show]:
        print(f"- {p.label:8} {p.dataset}/{p.item}: a->b {f:.3f}, b->a {b:.3f}")

    print("\n### Per gold pair (combined with min)\n")
    print("| set | label | item | a->b | b->a | min |")
    print("|---|---|---|---|---|---|")
    per_pair = []
    for p in sorted(pairs, key=lambda p: (p.label, -min(scores[(p.a, p.b)].contradiction, scores[(p.b, p.a)].contradiction))):
        f, b = scores[(p.a, p.b)].contradiction, scores[(p.b, p.a)].contradiction
        per_pair.append({"set": p.dataset, "label": p.label, "item": p.item, "a_b": f, "b_a": b})
        print(f"| {p.dataset} | {p.label} | {p.item} | {f:.3f} | {b:.3f} | {min(f, b):.3f} |")
    result["per_pair"] = per_pair
    result["findings"] = findings_under_policy(args)
    return result


def findings_under_policy(args) -> dict:
    """The pipeline's real findings, before and after apply_nli with the shipped rules.

    factcheck.check with NLI off gives the findings; apply_nli is then called here itself,
    because the NLI stage on them is what this bench measures."""
    import factcheck
    from factcheck.rules import load_rules

    rules = load_rules(ROOT / "rules")
    nli_rules = load_nli_rules(ROOT / "rules")
    out = {}
    print("\n### The pipeline's findings under rules/nli.yaml\n")
    print("| set | code | severity before -> after | min contradiction | a->b | b->a | gold |")
    print("|---|---|---|---|---|---|---|")
    for name, (root, gold_file) in SETS.items():
        if not gold_file.exists():
            continue
        gold = yaml.safe_load(gold_file.read_text())
        findings = factcheck.check([str(root)], settings=factcheck.Settings(nli="off", cache=False), rules=rules).findings
        with tempfile.TemporaryDirectory() as tmp:
            after, stats, warnings = apply_nli(findings, mode="required", model=args.model, rules_dir=ROOT / "rules",
                                               cache_path=Path(tmp) / "c.sqlite")
        scorer = load(args.model, nli_rules.max_length)
        before_report = report_score(gold, findings)
        after_report = report_score(gold, after)
        rows = []
        for f0, f1 in zip(findings, after):
            pair = statement_pair(f0)
            ab = ba = None
            if f1.nli is not None and pair:
                s = scorer.score([pair, pair[::-1]], 2)
                ab, ba = s[0].contradiction, s[1].contradiction
            label = gold_label(gold, f0)
            rows.append({"code": f0.code, "before": f0.severity, "after": f1.severity,
                         "contradiction": f1.nli.contradiction if f1.nli else None, "gold": label})
            c = f"{f1.nli.contradiction:.3f}" if f1.nli else "not scored"
            print(f"| {name} | {f0.code} | {f0.severity} -> {f1.severity} | {c} | "
                  f"{'' if ab is None else f'{ab:.3f}'} | {'' if ba is None else f'{ba:.3f}'} | {label} |")
        out[name] = {"stats": stats["nli"], "before": before_report, "after": after_report, "rows": rows}
    for name, r in out.items():
        print(f"\n{name}: before NLI {r['before']}; after NLI {r['after']}")

    # What a "raise warning -> error at >= t" rule would do to these findings, and how well
    # the score ranks a review queue (gold conflicts above clean/unlabelled findings).
    rows = [r for v in out.values() for r in v["rows"] if r["contradiction"] is not None]
    pos = [r["contradiction"] for r in rows if r["gold"].startswith("conflict")]
    neg = [r["contradiction"] for r in rows if not r["gold"].startswith("conflict")]
    print(f"\nReview ranking over the findings: AUC {auc(pos, neg):.3f} ({len(pos)} matching a gold conflict, {len(neg)} clean or unlabelled)")
    print("\n| raise FC103/FC104 warnings at >= | gold conflicts raised (harmless) | clean/unlabelled raised (new false errors) |")
    print("|---|---|---|")
    warn = [r for r in rows if r["before"] == "warning" and r["code"] in ("FC103", "FC104")]
    what_if = {}
    for t in (0.9, 0.95, 0.97, 0.98, 0.99, 0.995):
        good = sum(r["contradiction"] >= t for r in warn if r["gold"].startswith("conflict"))
        bad = sum(r["contradiction"] >= t for r in warn if not r["gold"].startswith("conflict"))
        what_if[t] = (good, bad)
        print(f"| {t} | {good} | {bad} |")
    out["ranking_auc"] = auc(pos, neg)
    out["raise_what_if"] = what_if
    return out


def _side(claim: Claim, name: str, snippet: str) -> bool:
    return Path(claim.path).name == name and snippet in claim.sentence


def _matches(f: Finding, pair) -> bool:
    a, sa, b, sb = pair
    return any(i != j and _side(c, a, sa) and _side(d, b, sb) for i, c in enumerate(f.claims) for j, d in enumerate(f.claims))


def gold_label(gold: dict, f: Finding) -> str:
    for key in ("conflicts", "clean"):
        for item in gold.get(key) or []:
            if any(_matches(f, p) for p in item["pairs"]):
                return f"{key[:-1] if key == 'conflicts' else 'clean'}:{item['id']}"
    return "unlabeled"


def report_score(gold: dict, findings: list[Finding]) -> str:
    """The counts shared/tools/score_findings.py prints, computed the same way."""
    found = 0
    for item in gold.get("conflicts") or []:
        best = max((RANK[f.severity] for f in findings if any(_matches(f, p) for p in item["pairs"])), default=-1)
        found += best >= RANK[item.get("severity", "warning")]
    errors = [f for f in findings if f.severity == "error"]
    false_alarms = sum(1 for item in gold.get("clean") or [] if any(any(_matches(f, p) for p in item["pairs"]) for f in errors))
    pairs = [p for key in ("conflicts", "clean") for it in gold.get(key) or [] for p in it["pairs"]]
    unlabeled = sum(1 for f in errors if not any(_matches(f, p) for p in pairs))
    return f"recall {found}/{len(gold.get('conflicts') or [])}, clean as errors {false_alarms}, unlabeled errors {unlabeled}"


# --------------------------------------------------------------------------- throughput


def synthetic_findings(pairs: list[tuple[str, str]]) -> list[Finding]:
    def c(s: str, path: str) -> Claim:
        return Claim(path=path, line=1, column=1, sentence=s, text="1%", value=1.0, unit="percent", kind="percent")

    return [Finding(id=f"b{i}", code="FC103", kind="bench", severity="warning", subject=None, metric=None, message="",
                    claims=[c(a, "a"), c(b, "b")]) for i, (a, b) in enumerate(pairs)]


def throughput(args) -> dict:
    import importlib

    backends = importlib.import_module("factcheck.nli.backends")
    pairs = [(p.a, p.b) for p in gold_pairs()]
    directed = list(dict.fromkeys(d for a, b in pairs for d in ((a, b), (b, a))))
    threads = {}
    try:
        import torch

        threads["torch"] = torch.get_num_threads()
    except ImportError:
        pass
    print(f"## Throughput: {len(directed)} directed pairs ({len(pairs)} gold pairs x 2), {os.cpu_count()} CPUs, threads {threads}, "
          f"load average at start {os.getloadavg()[0]:.2f}\n")
    print(f"cold pairs/s: best (median) of {args.repeat} runs over the same pairs, model already loaded\n")
    print("| backend | model | batch | load s | cold pairs/s | CPU ms/pair | warm pairs/s (cache) | cold apply_nli s | warm apply_nli s |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    rules = load_nli_rules(ROOT / "rules")
    findings = synthetic_findings(pairs)
    for model in args.model:
        ref = resolve_model(model)
        identity = model_identity(ref, weights_hash(ref), rules.max_length)
        for batch in args.batch:
            backends._LOADED.clear()
            t0 = time.perf_counter()
            scorer = load_scorer(ref, identity, rules.max_length)
            load_s = time.perf_counter() - t0
            scorer.score(directed[:4], batch)  # first-call allocations are not throughput
            runs, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                scorer.score(directed, batch)
                runs.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            # wall time suffers from whatever else runs on the 2 cores; CPU time much less
            best, median = min(runs), statistics.median(runs)
            # end to end through apply_nli: cold (empty cache, model loaded) then warm
            backends._LOADED.clear()
            with tempfile.TemporaryDirectory() as tmp:
                cache = Path(tmp) / "nli.sqlite"
                rules_dir = Path(tmp) / "rules"
                rules_dir.mkdir()
                shipped = (ROOT / "rules" / "nli.yaml").read_text()
                (rules_dir / "nli.yaml").write_text(re.sub(r"(?m)^batch_size:.*$", f"batch_size: {batch}", shipped))
                t0 = time.perf_counter()
                _, s_cold, _ = apply_nli(findings, mode="required", model=model, rules_dir=rules_dir, cache_path=cache)
                cold_e2e = time.perf_counter() - t0
                t0 = time.perf_counter()
                _, s_warm, _ = apply_nli(findings, mode="required", model=model, rules_dir=rules_dir, cache_path=cache)
                warm_e2e = time.perf_counter() - t0
            assert s_warm["nli"]["pairs_scored"] == 0 and not s_warm["nli"]["model_loaded"], s_warm
            row = {"backend": ref.backend, "model": model, "batch": batch, "load_s": load_s,
                   "cold_pairs_per_s": len(directed) / best, "cold_pairs_per_s_median": len(directed) / median,
                   "cpu_ms_per_pair": 1000 * min(cpu) / len(directed), "warm_pairs_per_s": s_warm["nli"]["cache_hits"] / warm_e2e,
                   "cold_apply_s": cold_e2e, "warm_apply_s": warm_e2e, "pairs": len(directed)}
            rows.append(row)
            print(f"| {row['backend']} | {Path(model).name} | {batch} | {load_s:.2f} | {row['cold_pairs_per_s']:.1f} ({row['cold_pairs_per_s_median']:.1f}) | "
                  f"{row['cpu_ms_per_pair']:.0f} | "
                  f"{row['warm_pairs_per_s']:.0f} | {cold_e2e:.2f} | {warm_e2e:.3f} |")
    return {"pairs": len(directed), "cpus": os.cpu_count(), "threads": threads, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sep = sub.add_parser("separation")
    sep.add_argument("--model", required=True)
    sep.add_argument("--show", type=int, default=20, help="asymmetric pairs to list")
    thr = sub.add_parser("throughput")
    thr.add_argument("--model", action="append", required=True)
    thr.add_argument("--batch", type=int, action="append")
    thr.add_argument("--repeat", type=int, default=5)
    for p in (sep, thr):
        p.add_argument("--json", help="also write the numbers here")
    args = ap.parse_args(argv)
    if args.cmd == "throughput" and not args.batch:
        args.batch = [1, 32]
    result = separation(args) if args.cmd == "separation" else throughput(args)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
