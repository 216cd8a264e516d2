"""The hostile-input suite of issue 10: one parametrized test over cases.yaml.

Each case runs the real CLI in-process (real files, symlinks, FIFOs and SQLite) from a
fresh folder, under an alarm so that a hang fails the case instead of the suite.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
import yaml

from factcheck.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
CASE_SECONDS = 30
# factcheck's own workflow commands; anything else starting a line with `::` is injected.
OWN_COMMAND = re.compile(r"^::(error|warning|notice) (?:(?:file|line|col)=[^:,]*,)*title=[^:]*::")


def _content(spec) -> bytes:
    if isinstance(spec, str):
        return spec.encode("utf-8")
    text = spec.get("text") or spec.get("prefix", "") + spec.get("repeat", "") * spec.get("times", 0) + spec.get("suffix", "")
    return text.encode(spec.get("encoding", "utf-8"))


def _build(case: dict, root: Path) -> None:
    if case.get("rules_copy"):
        shutil.copytree(REPO / "rules", root / "rules")
        for name, old, new in case["rules_copy"]:
            new = new if isinstance(new, str) else _content(new).decode("utf-8")
            path = root / "rules" / name
            text = path.read_text(encoding="utf-8")
            assert not old or old in text, (name, old)
            path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    for name, spec in (case.get("files") or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_content(spec))
    for link, target in (case.get("symlinks") or {}).items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).unlink(missing_ok=True)  # a rules file replaced by a link
        os.symlink(target.replace("{tmp}", str(root)), root / link)
    for name in case.get("fifos") or ():
        os.mkfifo(root / name)
    for db, sql in (case.get("sql_before") or {}).items():
        _sql(root / db, sql)


def _sql(db: Path, sql: str) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    try:
        conn.executescript(sql)
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _alarm(signum, frame):
    raise TimeoutError(f"case ran over {CASE_SECONDS} s")


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(args)
            except SystemExit as exc:  # argparse
                rc = exc.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(old)
    return int(rc or 0), out.getvalue(), err.getvalue()


def assert_inert(text: str) -> None:
    """No line the Actions runner would read as a command, no raw terminal control."""
    for line in text.split("\n"):
        assert "##[" not in line, line
        if line.lstrip().startswith("::"):
            assert OWN_COMMAND.match(line), line
    assert "\x1b" not in text and "\u202e" not in text, text


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_input(case, tmp_path):
    root = tmp_path / "work"
    root.mkdir()
    _build(case, root)
    if case.get("prerun"):
        run_cli(case["prerun"], root)
        for db, sql in (case.get("sql") or {}).items():
            _sql(root / db, sql)
    expect = case["expect"]
    kept = {name: (root / name).read_bytes() for name in expect.get("unchanged", ())}

    rc, out, err = run_cli(case["args"], root)

    # Only --debug may show a traceback, and then on stderr.
    assert "Traceback" not in out
    assert ("Traceback (most recent call last)" in err) == bool(expect.get("traceback")), err
    assert rc in (0, 1, 2)
    assert rc == expect["rc"], (out, err)
    for fragment in expect.get("out", ()):
        assert fragment in out, (fragment, out)
    for fragment in expect.get("err", ()):
        assert fragment in err, (fragment, err)
    for fragment in expect.get("absent", ()):
        assert fragment not in out + err, fragment
    if expect.get("json"):
        json.loads(out, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    for name in expect.get("exists", ()):
        assert (root / name).exists(), name
    for name, data in kept.items():
        assert (root / name).read_bytes() == data, name
    assert_inert(out)
    assert_inert(err)
    if not expect.get("traceback"):
        assert len(err.strip().splitlines()) <= 20
    if "err_lines" in expect:
        assert len(err.strip().splitlines()) == expect["err_lines"], err


def test_action_points_at_docs_that_exist():
    """action.yml sends its users to docs/ci-integration.md; it once did not exist."""
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    docs = set(re.findall(r"docs/[\w./-]+\.md", text))
    assert "docs/ci-integration.md" in docs
    assert all((REPO / d).is_file() for d in docs), docs
