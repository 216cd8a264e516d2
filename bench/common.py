"""Helpers shared by the benchmark scripts: paths, tables, gold scoring, docs sections.

The benchmarks read external data in place from ``../shared/eval`` (relative to the
repository root) and never copy it into the repository; their raw outputs go to
``bench/out/`` (git-ignored).
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO / ".." / "shared"))
EVAL = SHARED / "eval"
OUT = REPO / "bench" / "out"
DOCS = REPO / "docs" / "benchmarks.md"

RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it reaped
    rss_mb: float  # peak resident memory of the largest of them
    returncode: int
    out: bytes  # what it wrote to a pipe asked for, else b""
    err: bytes


def run_measured(cmd: list[str], *, cwd: Path, env: dict | None = None, stdout=subprocess.PIPE, stderr=subprocess.PIPE) -> Measured:
    """One command in a fresh process, with what os.wait4 says of it. The pipes asked for
    are read to their end before the wait (a full pipe would block the child; stdout first,
    so stderr must stay small), and wait4 then reaps the process with its resource usage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout, stderr=stderr)
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, out, err)


def table(headers: list[str], rows: Iterable[Iterable[object]]) -> str:
    """A markdown table (also readable as plain text)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    return "\n".join(lines)


def _cell(x: object) -> str:
    if isinstance(x, float):
        if math.isnan(x):
            return "–"
        return f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}"
    return str(x).replace("|", "\\|")


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def publish(name: str, raw: object, raw_file: str, docs_text: str | None) -> None:
    """Keep a benchmark's raw results in bench/out/ and, when asked (`--write-docs`),
    refresh its section of docs/benchmarks.md."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / raw_file).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    if docs_text is not None:
        write_section(name, docs_text)


def write_section(name: str, body: str, path: Path = DOCS) -> None:
    """Replace the text between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``
    in docs/benchmarks.md (appending the markers at the end when missing)."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# --- gold scoring (the format of corpus/expected.yaml) ------------------------------------
#
# Same matching as shared/tools/score_findings.py: a finding matches a pair [A, snipA, B,
# snipB] when one of its claims comes from a file named A whose sentence contains snipA and
# another (a different claim) from B with snipB, in either order. Indexed by file name so
# that 10,000-article archives score in well under a second.


def _side(claim: dict, name: str, snippet: str) -> bool:
    return os.path.basename(str(claim.get("path") or "")) == name and snippet in str(claim.get("sentence") or "")


def _matches(finding: dict, pair: list[str]) -> bool:
    a, sa, b, sb = pair
    claims = finding.get("claims") or []
    return any(
        i != j and _side(c, a, sa) and _side(d, b, sb) for i, c in enumerate(claims) for j, d in enumerate(claims)
    )


def score_gold(gold: dict, findings: list[dict]) -> dict:
    """Recall on gold conflicts (at their least severity), false alarms on clean pairs,
    errors outside the gold, precision of all findings against the planted pairs, and
    precision of the error findings alone."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for k, f in enumerate(findings):
        for name in {os.path.basename(str(c.get("path") or "")) for c in f.get("claims") or []}:
            by_file[name].append(k)

    def hits(pair: list[str]) -> list[int]:
        cand = set(by_file.get(pair[0], ())) & set(by_file.get(pair[2], ()))
        return [k for k in sorted(cand) if _matches(findings[k], pair)]

    conflicts = gold.get("conflicts") or []
    clean = gold.get("clean") or []
    found, missed = 0, []
    planted_findings: set[int] = set()
    for item in conflicts:
        least = RANK[item.get("severity", "warning")]
        best = -1
        for pair in item["pairs"]:
            for k in hits(pair):
                planted_findings.add(k)
                best = max(best, RANK.get(findings[k].get("severity"), -1))
        if best >= least:
            found += 1
        else:
            missed.append(item["id"])
    false_alarms = []
    labelled: set[int] = set(planted_findings)
    for item in clean:
        for pair in item["pairs"]:
            ks = hits(pair)
            labelled.update(ks)
            if any(findings[k].get("severity") == "error" for k in ks):
                false_alarms.append(item["id"])
                break
    unlabeled_errors = [k for k, f in enumerate(findings) if f.get("severity") == "error" and k not in labelled]
    unplanned = [k for k in range(len(findings)) if k not in planted_findings]
    n = len(conflicts)
    return {
        "conflicts": n,
        "found": found,
        "recall": found / n if n else 1.0,
        "missed": missed,
        "findings": len(findings),
        "precision": len(planted_findings) / len(findings) if findings else 1.0,
        # Errors only: a rounding warning on a restatement is allowed (realnews' rule too).
        "error_precision": (
            len([k for k in planted_findings if findings[k].get("severity") == "error"])
            / max(1, len([f for f in findings if f.get("severity") == "error"]))
        ),
        "unplanned_findings": [findings[k] for k in unplanned],
        "false_alarms": false_alarms,
        "unlabeled_errors": [findings[k] for k in unlabeled_errors],
    }


def describe_finding(f: dict, width: int = 90) -> str:
    quotes = " | ".join(
        f"{os.path.basename(str(c.get('path')))}: {str(c.get('sentence'))[:width]}" for c in f.get("claims") or []
    )
    return f"{f.get('severity')} {f.get('code')} {f.get('message', '')[:120]} || {quotes}"
