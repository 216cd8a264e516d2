"""Claims against filings: FinDVer (testmini, oracle context), subsets ie and numeric.

    .venv/bin/python bench/findver_bench.py [--limit N] [--jobs 2] [--write-docs]

Reads ../shared/eval/findver/testmini_with_oracle_context.jsonl in place. Each statement is
a draft and its ``oracle_context`` paragraphs the published corpus:

    factcheck check statement.txt --against context.txt --date D --format json --nli off

(one call per statement; D is the filing date in the ``report`` name, e.g.
NJR-2024-02-06_10-Q.json -> 2024-02-06). Both files start with a title line, as plain-text
articles do; the paragraphs are separated by blank lines. The statement is predicted false
when a finding of severity warning or above involves it (``--against`` reports only such
findings). Rows whose oracle context is missing are predicted true (no evidence) and
counted. Accuracy, and precision / recall on the false statements, per subset, next to
the published accuracies (findver/published_model_accuracy.txt).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EVAL, REPO, RANK, prf, publish, table  # noqa: E402

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


def check_one(row: dict, work: Path) -> dict:
    """Run the CLI for one statement; returns the prediction and what was found."""
    folder = work / row["example_id"]
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / "statement.txt"
    draft.write_text("Statement\n\n" + row["statement"].strip() + "\n", encoding="utf-8")
    out = {"id": row["example_id"], "subset": row["subset"], "label": bool(row["entailment_label"])}
    if not row.get("oracle_context"):
        return {**out, "pred_false": False, "no_context": True, "findings": []}
    corpus = folder / "context.txt"
    corpus.write_text(
        "Filing excerpt\n\n" + "\n\n".join(p["text"].strip() for p in row["oracle_context"]) + "\n", encoding="utf-8"
    )
    cmd = [sys.executable, "-m", "factcheck", "check", str(draft), "--against", str(corpus), "--format", "json", "--nli", "off", "--fail-on", "never", "--no-cache"]
    d = _date(row.get("report", ""))
    if d:
        cmd += ["--date", d]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {**out, "pred_false": False, "failed": proc.stderr[-300:], "findings": []}
    hits = [
        f for f in report["findings"]
        if RANK.get(f["severity"], 0) >= RANK["warning"] and any(Path(c["path"]).name == "statement.txt" for c in f["claims"])
    ]  # fmt: skip
    claims = report["stats"].get("claims", 0)
    return {
        **out, "pred_false": bool(hits), "claims": claims, "aligned": report["stats"].get("aligned_claims", 0),
        "pairs": report["stats"].get("pairs_compared", 0),
        "findings": [{"code": f["code"], "severity": f["severity"], "message": f["message"]} for f in hits],
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
    with tempfile.TemporaryDirectory(prefix="findver-") as tmp:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda r: check_one(r, Path(tmp)), rows))
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
