"""Claim understanding on real outlet articles: ../shared/eval/realnews, group by group.

Each story group (file-name prefix) is checked on its own, as score_groups.py does, and
scored against gold.yaml with the same matching. Per group it prints the claims read, the
share whose subject, metric and period were established (any evidence but none), the
share established strongly enough for an error (subject by parse, cue or anaphor; metric
by parse or cue; period explicit or timeless), recall at the labelled severity and error
precision; then the totals.

    python bench/realnews_bench.py [--write-docs] [DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import EVAL, RANK, _matches, publish, table  # noqa: E402

import factcheck  # noqa: E402

SUFFIXES = {".md", ".txt", ".html", ".htm"}
STRONG = {"subject": {"parse", "cue", "anaphor"}, "metric": {"parse", "cue"}, "period": {"explicit", "timeless"}}


def groups_of(folder: Path) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for p in sorted(folder.iterdir()):
        if p.suffix in SUFFIXES and p.name.lower() != "readme.md" and "-" in p.name:
            groups[p.name.split("-")[0]].append(str(p))
    return dict(groups)


def share(claims, field: str, strong: bool) -> float:
    if not claims:
        return float("nan")
    ok = [c for c in claims if (c.evidence.get(field) in STRONG[field] if strong else c.evidence.get(field, "none") != "none")]
    return len(ok) / len(claims)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(EVAL / "realnews"))
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    folder = Path(args.folder)
    if not (folder / "gold.yaml").exists():
        print(f"{folder}: no gold.yaml (is ../shared beside this checkout?)", file=sys.stderr)
        return 2
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    settings = factcheck.Settings(nli="off", cache=False)
    conflict_pairs = [p for item in gold["conflicts"] for p in item["pairs"]]
    rows, totals = [], defaultdict(float)
    all_claims = []
    for name, files in groups_of(folder).items():
        report = factcheck.check(files, settings=settings)
        claims = factcheck.claims(files, settings=settings)
        all_claims += claims
        findings = [f.model_dump(mode="json") for f in report.findings]
        items = [i for i in gold["conflicts"] if i["pairs"][0][0].startswith(name + "-")]
        hit = sum(
            max((RANK[f["severity"]] for f in findings if any(_matches(f, p) for p in i["pairs"])), default=-1)
            >= RANK[i.get("severity", "warning")]
            for i in items
        )
        errors = [f for f in findings if f["severity"] == "error"]
        true_errors = [f for f in errors if any(_matches(f, p) for p in conflict_pairs)]
        rows.append([
            name, len(files), len(claims),
            share(claims, "subject", False), share(claims, "metric", False), share(claims, "period", False),
            share(claims, "subject", True), share(claims, "metric", True),
            f"{hit}/{len(items)}", f"{len(true_errors)}/{len(errors)}",
        ])
        totals["hit"] += hit
        totals["items"] += len(items)
        totals["errors"] += len(errors)
        totals["true"] += len(true_errors)
    rows.append([
        "all", sum(r[1] for r in rows), len(all_claims),
        share(all_claims, "subject", False), share(all_claims, "metric", False), share(all_claims, "period", False),
        share(all_claims, "subject", True), share(all_claims, "metric", True),
        f"{int(totals['hit'])}/{int(totals['items'])}", f"{int(totals['true'])}/{int(totals['errors'])}",
    ])
    text = table(
        ["group", "articles", "claims", "subject", "metric", "period", "subject (strong)", "metric (strong)", "recall", "error precision"],
        rows,
    )
    print(text)
    publish("realnews", {"rows": rows}, "realnews.json", text if args.write_docs else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
