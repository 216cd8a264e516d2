"""The hostile-input suite of issues 10 and 30: one parametrized test over cases.yaml.

Each case runs the real CLI in-process (real files, symlinks, FIFOs and SQLite) from a
fresh folder, under an alarm so that a hang fails the case instead of the suite. Beside
the project folder lies an `outside` folder (links may point there) and the user's cache
folder; every case checks that nothing outside the project changed but that cache.
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
    for name, spec in (case.get("outside") or {}).items():
        path = root.parent / "outside" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_content(spec))
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
    if case.get("deep"):
        _deep(root, case["deep"])


def _deep(root: Path, spec: dict) -> None:
    """`levels` folders one inside the next, made relative to an open folder: their path
    is longer than the system lets one name (PATH_MAX), as a hostile checkout's may be."""
    (root / spec["path"]).mkdir()
    fds = [os.open(root / spec["path"], os.O_RDONLY | os.O_DIRECTORY)]
    try:
        for _ in range(spec["levels"]):
            os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
        fd = os.open(spec["file"], os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fds[-1])
        os.write(fd, spec["text"].encode("utf-8"))
        os.close(fd)
    finally:
        for fd in fds:
            os.close(fd)


def _undeep(root: Path, spec: dict) -> None:
    """Remove what _deep made, bottom up (shutil.rmtree recurses once per level)."""
    fds = [os.open(root / spec["path"], os.O_RDONLY | os.O_DIRECTORY)]
    try:
        while "d" in os.listdir(fds[-1]):
            fds.append(os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
        for name in os.listdir(fds[-1]):
            os.unlink(name, dir_fd=fds[-1])
        for parent in reversed(fds[:-1]):
            os.close(fds.pop())
            os.rmdir("d", dir_fd=parent)
    finally:
        for fd in fds:
            os.close(fd)


def _arg(spec) -> str:
    """A command-line argument: a string, or a recipe like a file's (a thousand digits)."""
    return spec if isinstance(spec, str) else _content(spec).decode("utf-8")


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


def run_cli(args: list[str], cwd: Path, env: dict | None = None) -> tuple[int, str, str]:
    """The CLI in this process from `cwd`, with the environment `env` (see case_env)."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    saved = dict(os.environ)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        os.environ.clear()
        os.environ.update(env if env is not None else case_env({}, cwd.parent))
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
        os.environ.clear()
        os.environ.update(saved)
    return int(rc or 0), out.getvalue(), err.getvalue()


def case_env(case: dict, base: Path) -> dict[str, str]:
    """This process's environment without CI (a case asks for it with `env`), with the
    user's cache folder at `base`/cache-home so that the run's own state is seen."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "FACTCHECK_CACHE_KEY")}
    env["XDG_CACHE_HOME"] = str(base / "cache-home")
    env.update({k: str(v) for k, v in (case.get("env") or {}).items()})
    return env


def snapshot(base: Path, skip: tuple[str, ...] = ("work", "cache-home")) -> dict[str, object]:
    """Every entry under `base` but the project and the cache: links by target, files by bytes."""
    seen: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        if here == base:
            dirnames[:] = [d for d in dirnames if d not in skip]
        for name in dirnames + filenames:
            path = here / name
            rel = path.relative_to(base).as_posix()
            if path.is_symlink():
                seen[rel] = ("link", os.readlink(path))
            elif path.is_file():
                seen[rel] = ("file", path.read_bytes())
            else:
                seen[rel] = ("other", path.is_dir())
    return seen


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
    env = case_env(case, tmp_path)
    if case.get("prerun"):
        run_cli(case["prerun"], root, env)
        for db, sql in (case.get("sql") or {}).items():
            _sql(root / db, sql)
    expect = case["expect"]
    kept = {name: (root / name).read_bytes() for name in expect.get("unchanged", ())}
    outside = snapshot(tmp_path)

    try:
        rc, out, err = run_cli([_arg(a) for a in case["args"]], root, env)
    finally:
        if case.get("deep"):
            _undeep(root, case["deep"])

    assert snapshot(tmp_path) == outside, "the run wrote outside the project"

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
    for name in expect.get("missing", ()):
        assert not os.path.lexists(root / name), name
    for name, data in kept.items():
        assert (root / name).read_bytes() == data, name
    assert_inert(out)
    assert_inert(err)
    if not expect.get("traceback"):
        assert len(err.strip().splitlines()) <= 20
    if "err_lines" in expect:
        assert len(err.strip().splitlines()) == expect["err_lines"], err


@pytest.mark.parametrize("debug", [[], ["--debug"], ["check", "a.md", "--nli", "off", "--debug"]], ids=["plain", "debug-first", "debug-last"])
def test_an_internal_error_is_one_line_and_debug_shows_its_traceback(debug, tmp_path, monkeypatch):
    """No input left makes factcheck fail inside (every one found is an input error naming
    its file), so a fault is put into the parse: the one thing here that is not real."""
    import factcheck.pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("injected fault")

    monkeypatch.setattr(factcheck.pipeline, "parse_document", broken)
    root = tmp_path / "work"
    root.mkdir()
    (root / "a.md").write_text("Acme Corp revenue rose 5% to $10 million in 2025.\n", encoding="utf-8")
    args = debug if len(debug) > 1 else [*debug, "claims", "a.md"]
    rc, out, err = run_cli(args, root)
    assert rc == 2
    assert "internal error: ZeroDivisionError: injected fault" in out + err
    if debug:
        assert "Traceback (most recent call last)" in err and "rerun with --debug" not in out + err
    else:
        assert "Traceback" not in out + err and "rerun with --debug" in out + err
        assert len(err.strip().splitlines()) == 1 and err.startswith("factcheck: error: a.md"), err


def test_action_points_at_docs_that_exist():
    """action.yml sends its users to docs/ci-integration.md; it once did not exist."""
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    docs = set(re.findall(r"docs/[\w./-]+\.md", text))
    assert "docs/ci-integration.md" in docs
    assert all((REPO / d).is_file() for d in docs), docs
