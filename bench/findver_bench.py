"""Claims against filings: FinDVer (testmini, oracle context), subsets ie and numeric.

    .venv/bin/python bench/findver_bench.py [--limit N] [--jobs 2] [--write-docs]

Reads ../shared/eval/findver/testmini_with_oracle_context.jsonl in place. Each statement is
a draft and its ``oracle_context`` paragraphs the published corpus, checked in memory as
`factcheck check statement.txt --against context.txt --date D --nli off` would check them:

    factcheck.check([Article(statement, "statement.txt")], against=[Article(context, "context.txt")],
                    settings=Settings(date=D, nli="off", cache=False))

(one call per statement; D is the filing date in the ``report`` name, e.g.
NJR-2024-02-06_10-Q.json -> 2024-02-06). Both texts start with a title line, as plain-text
articles do; the paragraphs are separated by blank lines. The statement is predicted false
when a finding of severity warning or above involves it (``--against`` reports only such
findings). Rows whose oracle context is missing are predicted true (no evidence) and
counted. Accuracy, and precision / recall on the false statements, per subset, next to
the published accuracies (findver/published_model_accuracy.txt).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EVAL, RANK, prf, publish, table  # noqa: E402

import factcheck  # noqa: E402
from factcheck.rules import Rules, load_rules  # noqa: E402

DATA = EVAL / "findver" / "testmini_with_oracle_context.jsonl"
SUBSETS = ("ie", "numeric")
# testmini, accuracy % per subset (published_model_accuracy.txt)
PUBLISHED = [
    ("gpt-4o, retrieval + chain of thought", 78.0, 74.0),
    ("gpt-4o, oracle context + chain of thought", 91.6, 74.4),
    ("claude-3-5-sonnet, retrieval + chain of thought", 74.8, 77.2),
    ("Qwen2.5-72B, retrieval + chain of thought", 80.8, 72.8),
    ("Llama-3.1-8B, retrieval + chain of thought", 70.8, 64.0),
    ("a constant answer (half the statements are false)", 50.0, 50.0),
]


def load(limit: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["subset"] in SUBSETS]
    if limit:
        per: dict[tuple, int] = {}
        kept = []
        for r in rows:  # half true, half false, as in the full set
            key = (r["subset"], bool(r["entailment_label"]))
            if per.get(key, 0) < (limit + 1) // 2:
                per[key] = per.get(key, 0) + 1
                kept.append(r)
        rows = kept
    return rows


def _date(report: str) -> str | None:
    m = re.search(r"(\d{4}-\d{2}-\d{2})", report or "")
    return m.group(1) if m else None


@cache
def _rules() -> Rules:
    # Loaded once per worker process: a check given no rules would parse them per statement.
    return load_rules()


def check_one(row: dict) -> dict:
    """Check one statement against its filing's paragraphs; returns the prediction and what was found."""
    out = {"id": row["example_id"], "subset": row["subset"], "label": bool(row["entailment_label"])}
    if not row.get("oracle_context"):
        return {**out, "pred_false": False, "no_context": True, "findings": []}
    draft = factcheck.Article(text="Statement\n\n" + row["statement"].strip() + "\n", name="statement.txt", format="txt")
    context = factcheck.Article(
        text="Filing excerpt\n\n" + "\n\n".join(p["text"].strip() for p in row["oracle_context"]) + "\n",
        name="context.txt",
        format="txt",
    )
    d = _date(row.get("report", ""))
    settings = factcheck.Settings(nli="off", cache=False, date=dt.date.fromisoformat(d) if d else None)
    try:
        report = factcheck.check([draft], against=[context], settings=settings, rules=_rules())
    except Exception as exc:  # counted as "run failed", as a crashed command was
        return {**out, "pred_false": False, "failed": repr(exc)[-300:], "findings": []}
    hits = [
        f for f in report.findings
        if RANK.get(f.severity, 0) >= RANK["warning"] and any(Path(c.path).name == "statement.txt" for c in f.claims)
    ]  # fmt: skip
    stats = report.stats
    return {
        **out, "pred_false": bool(hits), "claims": stats.claims, "aligned": stats.aligned_claims,
        "pairs": stats.pairs_compared,
        "findings": [{"code": f.code, "severity": f.severity, "message": f.message} for f in hits],
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="at most N statements per subset (a quick run)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"FinDVer not found at {DATA}; nothing to do")
        return 0
    rows = load(args.limit)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(check_one, rows, chunksize=8))
    body = []
    for subset in SUBSETS:
        rs = [r for r in results if r["subset"] == subset]
        if not rs:
            continue
        correct = sum((not r["label"]) == r["pred_false"] for r in rs)
        tp = sum(r["pred_false"] and not r["label"] for r in rs)
        n_pred = sum(r["pred_false"] for r in rs)
        n_false = sum(not r["label"] for r in rs)
        p, rec, _ = prf(tp, n_pred, n_false)
        body.append((
            subset, len(rs), f"{100 * correct / len(rs):.1f}", f"{100 * p:.1f}" if n_pred else "–", f"{100 * rec:.1f}",
            n_pred, sum(r.get("aligned", 0) > 0 for r in rs), sum(r.get("pairs", 0) > 0 for r in rs),
            sum(bool(r.get("no_context")) for r in rs), sum(bool(r.get("failed")) for r in rs),
        ))  # fmt: skip
    lines = [
        "factcheck, `check statement --against context --nli off`, predicting false on a finding of severity warning or above:",
        "",
        table(
            ["subset", "statements", "accuracy %", "precision on false %", "recall on false %", "predicted false",
             "with an aligned claim", "with a pair compared", "no context", "run failed"],
            body,
        ),  # fmt: skip
        "",
        "Published accuracies on the same testmini subsets (%):",
        "",
        table(["system", "ie", "numeric"], [(n, f"{a:.1f}", f"{b:.1f}") for n, a, b in PUBLISHED]),
    ]
    codes: dict[str, int] = {}
    for r in results:
        for f in r["findings"]:
            codes[f["code"]] = codes.get(f["code"], 0) + 1
    if codes:
        lines += ["", "Codes of the findings behind the false predictions: " + ", ".join(f"{k} {v}" for k, v in sorted(codes.items()))]
    text = "\n".join(lines)
    print(text)
    publish("findver", results, "findver.json", text if args.write_docs else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
