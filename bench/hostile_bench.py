"""CPU seconds per pathological input pattern at 100 KB and 1 MB (issue 10), and what every
hostile case does to a real run (issue 30).

    python bench/hostile_bench.py [--sizes 100000 1000000] [--stage full|claims|ingest] [--repeat 3] [--default-limits]
    python bench/hostile_bench.py --cases [--code DIR] [--only ID] [--timeout 120]

`--cases` runs each case of tests/hostile/cases.yaml, and a few attacks that need more
than files (a forged cache, a recursive view, a name that is not UTF-8), as `python -m
factcheck` in a fresh process and folder, beside an `outside` folder and a user cache of
its own, and counts: crashes (a traceback, an internal error, an exit status not 0, 1 or
2), hangs (past `--timeout`), silent drops (an article with a digit in it that gives no
claim and is named by no error and no warning, read by `claims --format json` after the
case's own run) and writes outside the project (any change beside the case's folder but
in the user's cache and the temporary folder). `--code DIR` runs another checkout's
factcheck on the same cases (e.g. `git archive` of main), for a before/after; the cases
and the scenarios are this checkout's. `--only ID` runs the cases whose id contains ID
and no scenario.

`full` (the default) is `factcheck.check` on one article with NLI and the cache off:
ingest, extraction (with the spaCy parse of figure sentences), linkage and comparison;
`claims` is ingest (`parse_document`) and extraction (`extract_claims`), each cell "ingest /
spaCy parse / extraction beyond the parse" (issue 30's item 8 bounds the last), `ingest` is
parse_document alone. Each cell is the median CPU time of `--repeat` fresh processes, the spaCy model
loaded before the clock starts, under a CPU-time limit, so a runaway pattern reports
'>LIMIT' instead of hanging. The exponent is the growth of time from the first size to
the last (1.0 = linear). The 50 MB row reads a real file through max_file_bytes (5 MB).
By default the limits that refuse an article (max_file_bytes, max_sentence_chars, the
20,000 sentences of ingest, and max_parsed_sentences and max_figures in a copy of rules/) are lifted, so that the pattern's own cost is
measured; max_block_claims stays, since every pair of a block is a candidate and a block
past it is quadratic by design, so it refuses; `--default-limits` keeps them as shipped and times what a user's run does.
CPU time, not wall time: the machine this runs on is shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sqlite3
import statistics
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SENTENCE = "Kestrel Motors shares fell 8.81% on Wednesday, the company said. "
PLAIN = "Kestrel Motors shares fell sharply on Wednesday, the company said. "
DOLLARS = "Acme Corp said revenue was " + ", ".join(f"${i} million" for i in range(1, 600)) + " in total."
NAMES = "Intel rose 5%, " * 1300 + "and closed higher."
CHANGE = "Kestrel Motors revenue rose 8.81% to $12.5 million from $11.49 million a year earlier, the company said."


def _then_prose(sentence: str, times: int, n: int) -> str:
    return (sentence + "\n\n") * times + (PLAIN + "\n\n") * max(0, (n - times * (len(sentence) + 2)) // (len(PLAIN) + 2))


PATTERNS = {
    "ordinary prose": lambda n: (SENTENCE + "\n\n") * (n // (len(SENTENCE) + 2)),
    "prose without figures": lambda n: (PLAIN + "\n\n") * (n // (len(PLAIN) + 2)),
    "1 MB single line (prose)": lambda n: SENTENCE * (n // len(SENTENCE)),
    "unclosed <!-- (markdown)": lambda n: "<!-- Acme revenue rose 5% " * (n // 26),
    "run of dots, one line": lambda n: "Acme rose 5%" + "." * n,
    "'Mr. ' x N (capitalised run)": lambda n: "Mr. " * (n // 4) + "rose 5%.",
    "'U.S. ' x N": lambda n: "U.S. " * (n // 5) + "rose 5%.",
    "'A. ' x N, no verb after": lambda n: "A. " * (n // 3) + "is up 5%.",
    # a name joined by & and hyphens before a figure (the listing and listed-name patterns)
    "'A&' x N, then -listed shares fell 5%": lambda n: "A&" * (n // 2) + "-listed shares fell 5%.",
    "8,000 numbers per sentence": lambda n: "Revenue was " + " ".join(f"${i} million," for i in range(n // 14)) + ".",
    "one block of same-subject claims": lambda n: "".join(
        f"Kestrel Motors revenue was ${i} million in {2000 + i % 25}.\n\n" for i in range(n // 48)
    ),
    "unclosed <!-- (html)": lambda n: "<p>x</p>" + "<!-- a " * (n // 7),
    "nested [ (markdown)": lambda n: "[" * n,
    "inline markup soup *[<` (markdown)": lambda n: "Acme rose 5%. " + "*[<`" * (n // 4),
    # issue 30, item 8: sentences just under max_sentence_chars, each of 600 dollar
    # figures; and one paragraph of 250,000 short sentences
    "long sentences of dollar figures": lambda n: (DOLLARS + "\n\n") * (n // (len(DOLLARS) + 2)),
    "'Hi. ' x N (one paragraph)": lambda n: "Hi. " * (n // 4),
    # a name and a figure after another, 1,300 of each a sentence (under max_sentence_chars):
    # each figure read every name and every earlier figure of its sentence
    "a name and a figure, 1,300 a sentence": lambda n: (NAMES + "\n\n") * (n // (len(NAMES) + 2)),
    # one line cut into pieces by inline comments or tags (each piece once asked whether its
    # whole line was site furniture)
    "'<!-- x -->' x N in one line (markdown)": lambda n: "Acme rose 5% <!-- x --> " * (n // 24),
    "'<b>5</b>%' x N in one line (markdown)": lambda n: "<b>5</b>% " * (n // 10),
    # the budgets spent together: as many figures as max_figures (600) lets through, one
    # or three a sentence, then prose without figures to the size
    "600 figure sentences, then prose": lambda n: _then_prose(SENTENCE, 600, n),
    "200 sentences of 3 figures, then prose": lambda n: _then_prose(CHANGE, 200, n),
}

CHILD = r"""
import sys, time
sys.path.insert(0, {repo!r})
text = open({path!r}, encoding="utf-8").read()
suffix = {suffix!r}
if {full!r} == "claims":
    # Ingest (parse_document) and extraction (extract_claims), each timed alone, and the
    # spaCy parse inside extraction taken out of it: item 8's budget is extraction beyond
    # the parse. The last line is "ingest parse extraction-beyond-the-parse".
    import spacy.language
    from factcheck.errors import InputFileError
    from factcheck.extract.parse import load_pipeline
    from factcheck.ingest import parse_document
    from factcheck.normalize import extract_claims
    from factcheck.rules import load_rules
    rules = load_rules({rules!r}) if {lifted!r} else load_rules()
    lifted = dict(max_sentence_chars=10**9, max_sentences=10**9) if {lifted!r} else {{}}
    load_pipeline()
    extract_claims(parse_document("Shares of Acme rose 3% on Monday.", "warm.md", suffix=".md"), rules)
    parsing = [0.0]
    def timed(method):
        def run(*args, **kwargs):
            start = time.process_time()
            try:
                result = method(*args, **kwargs)
                if method.__name__ == "pipe":
                    result = list(result)
                return result
            finally:
                parsing[0] += time.process_time() - start
        return run
    spacy.language.Language.pipe = timed(spacy.language.Language.pipe)
    spacy.language.Language.__call__ = timed(spacy.language.Language.__call__)
    start = time.process_time()
    ingest = extraction = 0.0
    try:
        document = parse_document(text, "x" + suffix, suffix=suffix, **lifted)
        ingest = time.process_time() - start
        extract_claims(document, rules)
    except InputFileError:
        if {lifted!r}:
            raise
        print("refused", file=sys.stderr)
    total = time.process_time() - start
    ingest = ingest or total
    print(ingest, parsing[0], total - ingest - parsing[0])
    sys.exit(0)
elif {full!r}:
    # The whole pipeline, through the API an editor's tool calls; the limits are lifted so
    # that the pattern, not max_sentence_chars, decides the time. One tiny run first loads
    # the rules and the spaCy model before the clock starts.
    import factcheck
    if {lifted!r}:
        settings = factcheck.Settings(nli="off", cache=False, max_sentence_chars=10**9, max_file_bytes=10**12, rules={rules!r})
    else:
        settings = factcheck.Settings(nli="off", cache=False)
    factcheck.check([factcheck.Article(text="Shares of Acme rose 3% on Monday.", name="warm.md")], settings=settings)
    article = factcheck.Article(text=text, name="x" + suffix, format=suffix[1:])
    start = time.process_time()
    report = factcheck.check([article], settings=settings)
    if report.errors and {lifted!r}:
        sys.exit(report.errors[0].message)
    if report.errors:
        print("refused", file=sys.stderr)
else:
    # parse_document alone, not the API: this stage's own cost is what the row measures.
    from factcheck.ingest import parse_document
    start = time.process_time()
    parse_document(text, "x" + suffix, suffix=suffix, max_sentence_chars=10**9, max_sentences=10**9)
print(time.process_time() - start)
"""


def lifted_rules(tmp: str) -> str:
    """A copy of rules/ whose per-article parse budget is lifted, as the settings lift the
    size limits: the pattern, not a limit, decides the time."""
    import shutil

    import yaml

    folder = Path(tmp) / "rules"
    shutil.copytree(REPO / "rules", folder)
    severity = folder / "severity.yaml"
    data = yaml.safe_load(severity.read_text(encoding="utf-8"))
    data["thresholds"]["max_parsed_sentences"] = 10_000_000
    data["thresholds"]["max_figures"] = 100_000_000
    severity.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(folder)


def measure(text: str, suffix: str, full: bool | str, limit: int, repeat: int, lifted: bool = True) -> tuple[float | None, bool]:
    """Median CPU seconds of `repeat` fresh processes (None when one ran past `limit`), and
    whether the article was refused by a limit (with `lifted` False: the default limits)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_text(text, encoding="utf-8")
        rules = lifted_rules(tmp) if lifted and full else None
        code = CHILD.format(repo=str(REPO), path=str(path), suffix=suffix, full=full, lifted=lifted, rules=rules)

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))

        times = []
        refused = False
        for _ in range(repeat):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=cap)
            if done.returncode != 0:
                if "Error" in done.stderr:
                    print(done.stderr.strip().splitlines()[-1], file=sys.stderr)
                return None, False
            refused = refused or "refused" in done.stderr
            times.append([float(x) for x in done.stdout.strip().splitlines()[-1].split()])
        if len(times[0]) > 1:  # the claims stage: ingest, parse, extraction beyond the parse
            return [statistics.median(column) for column in zip(*times)], refused
        return statistics.median(t[0] for t in times), refused


def refuse_50mb() -> float:
    from factcheck.errors import InputFileError
    from factcheck.ingest import read_text

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.md"
        path.write_text(SENTENCE * (50_000_000 // len(SENTENCE)), encoding="utf-8")
        start = time.process_time()
        try:
            read_text(path, "big.md")
        except InputFileError:
            return time.process_time() - start
        raise AssertionError("50 MB was not refused")


# --------------------------------------------------------------------------- --cases


def _hostile_module():
    """tests/hostile/test_hostile.py: how a case's files, links and folders are built."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_cases", REPO / "tests" / "hostile" / "test_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


@dataclasses.dataclass
class Outcome:
    name: str
    status: int | None  # None: it hung
    crash: bool = False
    drops: list[str] = dataclasses.field(default_factory=list)
    outside: list[str] = dataclasses.field(default_factory=list)


def _factcheck(code: Path, args: list[str], cwd: Path, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess | None:
    env = {**env, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def _crashed(done: subprocess.CompletedProcess) -> bool:
    """A traceback or an internal error in the output, or an exit status not 0, 1 or 2."""
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    return "Traceback" in text or "internal error" in text or done.returncode not in (0, 1, 2)


def _silent_drops(code: Path, root: Path, env: dict[str, str], timeout: int) -> list[str]:
    """Articles of the case's folder with a digit that no claim, error or warning names."""
    articles = [
        p for p in root.rglob("*")
        if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file() and not p.is_symlink()
        and not any(part.startswith(".") or part == "rules" for part in p.relative_to(root).parts)
    ]
    suspects = [p for p in articles if any(ch.isdigit() for ch in p.read_text(encoding="utf-8", errors="replace"))]
    if not suspects:
        return []
    # Without the case's config and variables (they may be the broken thing the case is
    # about): is each article read, or named by an error or a warning?
    empty = root.parent / "tmp" / "empty.toml"
    empty.write_text("", encoding="utf-8")
    args = ["claims", ".", "--format", "json", "--no-cache", "--config", str(empty)]
    done = _factcheck(code, args, root, env, timeout)
    if done is None:
        return ["(claims run hung)"]
    try:
        report = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        return [f"(claims run gave no JSON: {done.stderr.decode('utf-8', 'replace')[:200]})"]
    warnings = done.stderr.decode("utf-8", "replace")  # claims prints its warnings there
    named = " ".join([c["path"] for c in report["claims"]] + [e["path"] for e in report["errors"]] + [warnings])
    return [p.relative_to(root).as_posix() for p in suspects if p.relative_to(root).as_posix() not in named]


def run_case(code: Path, case: dict, base: Path, timeout: int) -> Outcome:
    hostile = _hostile_module()
    hostile.REPO = code  # a case's copy of rules/ is the rules of the code it runs
    root = base / "work"
    root.mkdir(parents=True)
    hostile._build(case, root)
    env = hostile.case_env(case, base)
    env["HOME"] = str(base / "home")
    env["TMPDIR"] = str(base / "tmp")
    (base / "home").mkdir()
    (base / "tmp").mkdir()
    try:
        if case.get("prerun"):
            _factcheck(code, case["prerun"], root, env, timeout)
            for db, sql in (case.get("sql") or {}).items():
                hostile._sql(root / db, sql)
        before = hostile.snapshot(base, skip=("work", "cache-home", "tmp"))
        done = _factcheck(code, [hostile._arg(a) for a in case["args"]], root, env, timeout)
        outcome = Outcome(case["id"], None if done is None else done.returncode)
        outcome.outside = sorted(set(hostile.snapshot(base, skip=("work", "cache-home", "tmp")).items()) ^ set(before.items()))
    finally:
        if case.get("deep"):
            hostile._undeep(root, case["deep"])
    if done is not None:
        outcome.crash = _crashed(done)
        if not outcome.crash:
            outcome.drops = _silent_drops(code, root, {**hostile.case_env({}, base), "HOME": env["HOME"], "TMPDIR": env["TMPDIR"]}, timeout)
    return outcome


def _scenarios(code: Path, base: Path, timeout: int) -> list[Outcome]:
    """Attacks that need more than files: run the same way, counted the same way."""
    hostile = _hostile_module()
    pair = {
        "a.md": "---\ndate: 2026-07-01\n---\nKestrel Motors shares fell 8.81% on Wednesday, the company said.\n",
        "b.md": "---\ndate: 2026-07-01\n---\nKestrel Motors shares rose 12% on Wednesday, the company said.\n",
    }
    check = ["check", ".", "--nli", "off", "--fail-on", "warning"]
    outcomes = []

    def fresh(name: str) -> tuple[Path, dict[str, str]]:
        folder = base / name
        (folder / "work").mkdir(parents=True)
        for file, text in pair.items():
            (folder / "work" / file).write_text(text, encoding="utf-8")
        return folder / "work", hostile.case_env({}, folder)

    def judged(name: str, root: Path, env: dict[str, str]) -> Outcome:
        before = hostile.snapshot(root.parent, skip=("work", "cache-home"))
        done = _factcheck(code, check, root, env, timeout)
        outcome = Outcome(name, None if done is None else done.returncode)
        if done is not None:
            outcome.crash = _crashed(done)
            if b"FC105" not in done.stdout + done.stderr and not outcome.crash:
                outcome.drops = ["a.md/b.md: the conflict was hidden"]
        outcome.outside = sorted(set(hostile.snapshot(root.parent, skip=("work", "cache-home")).items()) ^ set(before.items()))
        return outcome

    # A committed cache whose findings were emptied, its checksum (or seal) recomputed by
    # the attacker: the cache file written by an attacker's own run, then edited the way
    # the code that wrote it would seal it, had it been sealed with a key the attacker has.
    root, env = fresh("forged-cache")
    attacker = {**env, "XDG_CACHE_HOME": str(root.parent / "attacker-cache")}
    _factcheck(code, check, root, attacker, timeout)
    forge = (
        "import sqlite3, sys\n"
        "from factcheck.gate.cache import StageCache\n"
        "db = sys.argv[1]\n"
        "rows = sqlite3.connect(db).execute('SELECT key, pairs FROM blocks').fetchall()\n"
        "c = StageCache(db)\n"
        "[c.store_block(k, [], p) for k, p in rows]\n"
        "c.close()\n"
    )
    # From the case's folder: `-c` puts the current folder first on the path, before `code`.
    subprocess.run([sys.executable, "-c", forge, str(root / ".factcheck" / "cache.sqlite")], cwd=root.parent, env={**attacker, "PYTHONPATH": str(code)}, check=True, timeout=timeout)
    outcomes.append(judged("(scenario) committed cache with its findings emptied", root, env))

    root, env = fresh("recursive-view")
    _factcheck(code, check, root, env, timeout)
    with sqlite3.connect(root / ".factcheck" / "cache.sqlite") as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(blocks)")]
        conn.executescript(
            f"DROP TABLE blocks; CREATE VIEW blocks ({', '.join(columns)}) AS WITH RECURSIVE r(n) AS "
            f"(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT 'k' || n, {', '.join('n' for _ in columns[1:])} FROM r;"
        )
    conn.close()
    outcomes.append(judged("(scenario) cache table replaced by a recursive view", root, env))

    root, env = fresh("not-utf8-name")
    (root / os.fsdecode(b"caf\xe9.md")).write_text("Acme Corp revenue rose 5% to $10 million in 2025.\n", encoding="utf-8")
    outcomes.append(judged("(scenario) a file name that is not UTF-8, --format json", root, env))
    check_json = check + ["--format", "json"]
    done = _factcheck(code, check_json, root, env, timeout)
    if done is None:
        outcomes[-1].status = None
    elif _crashed(done):
        outcomes[-1].crash = True
    return outcomes


def cases_main(args: argparse.Namespace) -> None:
    import yaml

    code = Path(args.code).resolve() if args.code else REPO
    cases = yaml.safe_load((REPO / "tests" / "hostile" / "cases.yaml").read_text(encoding="utf-8"))
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="factcheck-hostile-") as tmp:
        for n, case in enumerate(cases):
            if args.only and args.only not in case["id"]:
                continue
            outcomes.append(run_case(code, case, Path(tmp) / f"c{n}", args.timeout))
            _report_one(outcomes[-1])
        if not args.only:
            for outcome in _scenarios(code, Path(tmp) / "scenarios", args.timeout):
                outcomes.append(outcome)
                _report_one(outcome)
    rows = [
        ("cases run", len(outcomes)),
        ("crashes (traceback, internal error, other exit status)", sum(o.crash for o in outcomes)),
        ("hangs (over %d s)" % args.timeout, sum(o.status is None for o in outcomes)),
        ("silent drops (an article with a digit named nowhere)", sum(bool(o.drops) for o in outcomes)),
        ("writes outside the project", sum(bool(o.outside) for o in outcomes)),
    ]
    print(f"\ncode: {code}\n")
    print("| outcome | cases |\n|---|---:|")
    for name, count in rows:
        print(f"| {name} | {count} |")


def _report_one(o: Outcome) -> None:
    problems = []
    if o.status is None:
        problems.append("HANG")
    if o.crash:
        problems.append("CRASH")
    if o.drops:
        problems.append(f"SILENT DROP {o.drops}")
    if o.outside:
        problems.append(f"WROTE OUTSIDE {[k for k, _ in o.outside][:3]}")
    print(f"{o.name}: exit {o.status} {' '.join(problems)}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", action="store_true", help="run tests/hostile/cases.yaml and the scenarios; count crashes, hangs, silent drops, writes outside")
    parser.add_argument("--code", help="with --cases: the factcheck checkout to run (default: this one)")
    parser.add_argument("--timeout", type=int, default=120, help="with --cases: seconds before a run counts as hung")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--stage", choices=["ingest", "claims", "full"], default="full")
    parser.add_argument("--limit", type=int, default=60, help="CPU seconds per measurement")
    parser.add_argument("--only", help="run patterns whose name contains this")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell; the median is shown")
    parser.add_argument(
        "--default-limits", action="store_true",
        help="keep max_file_bytes, max_sentence_chars and the sentence, parse and figure budgets as shipped; a cell "
        "marked R is the time to refuse the article",
    )
    args = parser.parse_args()
    if args.cases:
        cases_main(args)
        return
    full = {"full": True, "claims": "claims", "ingest": False}[args.stage]
    heads = [f"{s // 1000:,} KB" if s < 1_000_000 else f"{s / 1e6:g} MB" for s in args.sizes]
    limits = "default limits (R: refused)" if args.default_limits else "limits lifted"
    print(f"stage: {args.stage}; {limits}; CPU seconds; target <= 2 s at 1 MB\n")
    pattern_rows(args, heads, full)
    if full != "claims":
        print(f"| 50 MB article, refused by max_file_bytes | {refuse_50mb():.3f} s | | | yes |")


def pattern_rows(args: argparse.Namespace, heads: list[str], full: bool | str) -> None:
    """One row a pattern: its cells, the growth exponent and whether the largest size meets
    2 s. For the claims stage (item 8) a cell is "ingest / spaCy parse / extraction beyond
    the parse" and the exponent and target are on the last of them."""
    claims = full == "claims"
    if claims:
        print("ingest / spaCy parse / extraction beyond the parse\n")
        print("| pattern | " + " | ".join(heads) + " | exponent (beyond) | beyond <= 2 s at the largest |")
    else:
        print("| pattern | " + " | ".join(heads) + " | exponent | <= 2 s at 1 MB |")
    print("|---|" + "---:|" * (len(heads) + 2))
    for name, make in PATTERNS.items():
        if args.only and args.only not in name:
            continue
        suffix = ".html" if "(html)" in name else ".txt" if "dots" in name else ".md"
        measured = [measure(make(size), suffix, full, args.limit, args.repeat, not args.default_limits) for size in args.sizes]
        cells = [
            ((" / ".join(f"{x:.2f}" for x in t) if claims else f"{t:.2f}") + (" R" if refused else ""))
            if t is not None else f">{args.limit}"
            for t, refused in measured
        ]
        times = [(t[2] if claims else t) if t is not None else None for t, _ in measured]
        first, last = times[0], times[-1]
        exponent = (
            f"{math.log(last / first) / math.log(args.sizes[-1] / args.sizes[0]):.2f}"
            if first and last and first > 0.01 and len(times) > 1
            else "-"
        )
        ok = "yes" if last is not None and last <= 2.0 else "no"
        print(f"| {name} | " + " | ".join(cells) + f" | {exponent} | {ok} |", flush=True)


if __name__ == "__main__":
    main()
