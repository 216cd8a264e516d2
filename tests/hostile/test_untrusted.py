"""A pull request's cache and state cannot turn the gate (issue 30).

Real SQLite files written by factcheck and then forged or rebuilt the way an attacker
with write access to the checkout would; real subprocesses where a run could hang or
where the operating system's own limits (a full disk) must be met.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from factcheck.gate.cache import FILENAME, StageCache
from factcheck.nli.backends import DirectionScore
from factcheck.nli.cache import ScoreCache
from test_hostile import REPO, case_env, run_cli

FRONT = "---\ndate: 2026-07-01\n---\n"
PAIR = {
    "a.md": FRONT + "Kestrel Motors shares fell 8.81% to $52.10 on Wednesday, the company said.\n",
    "b.md": FRONT + "Kestrel Motors shares rose 12% to $52.10 on Wednesday, the company said.\n",
}
CHECK = ["check", ".", "--nli", "off", "--fail-on", "warning"]


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "work"
    root.mkdir()
    for name, text in PAIR.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _env(tmp_path: Path, who: str, **extra: str) -> dict[str, str]:
    """The environment of one user: their own cache folder (and so their own cache key)."""
    return {**case_env({}, tmp_path / who), **extra}


def _forge_hidden(db: Path, env: dict[str, str], monkeypatch) -> None:
    """What an attacker commits: every comparison's findings emptied, each entry written
    through factcheck's own cache (so sealed as well as the attacker's key can seal it)."""
    with closing(sqlite3.connect(db)) as conn:
        blocks = conn.execute("SELECT key, pairs FROM blocks").fetchall()
    assert blocks
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])
    cache = StageCache(db)
    for key, pairs in blocks:
        cache.store_block(key, [], pairs)
    cache.close()
    assert not cache.warnings


def test_a_committed_cache_hides_no_finding(tmp_path, monkeypatch):
    root = _project(tmp_path)
    attacker = _env(tmp_path, "attacker")
    assert run_cli(CHECK, root, attacker)[0] == 1
    db = root / ".factcheck" / FILENAME
    _forge_hidden(db, attacker, monkeypatch)
    # The forgery works where its key is: the attacker's own runs pass.
    assert run_cli(CHECK, root, attacker)[0] == 0

    rc, out, err = run_cli(CHECK, root, _env(tmp_path, "reviewer"))
    assert rc == 1 and "FC105" in out, (out, err)


def test_under_ci_a_committed_cache_is_neither_read_nor_written(tmp_path, monkeypatch):
    root = _project(tmp_path)
    attacker = _env(tmp_path, "attacker")
    run_cli(CHECK, root, attacker)
    db = root / ".factcheck" / FILENAME
    _forge_hidden(db, attacker, monkeypatch)
    folder = sorted((p.name, p.read_bytes()) for p in db.parent.iterdir())

    runner = _env(tmp_path, "runner", CI="true")
    for _ in range(2):  # cold, then warm from the runner's own cache
        rc, out, err = run_cli(CHECK, root, runner)
        assert rc == 1 and "FC105" in out and err == "", (out, err)
    assert sorted((p.name, p.read_bytes()) for p in db.parent.iterdir()) == folder
    assert list((tmp_path / "runner" / "cache-home" / "factcheck" / "projects").glob(f"*/{FILENAME}"))


def _subprocess(args: list[str], cwd: Path, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    env = {**env, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, env=env, capture_output=True, text=True, **kwargs)


# A table replaced by a view of endless rows, none with the key looked up: reading it hangs.
RECURSIVE_VIEW = """
DROP TABLE {table};
CREATE VIEW {table} ({columns}) AS
  WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
  SELECT 'k' || n, {values} FROM r;
"""


def test_a_recursive_view_in_the_cache_neither_hangs_nor_hides(tmp_path):
    root = _project(tmp_path)
    env = _env(tmp_path, "user")
    assert run_cli(CHECK, root, env)[0] == 1
    db = root / ".factcheck" / FILENAME
    with closing(sqlite3.connect(db)) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(blocks)")]
        conn.executescript(
            RECURSIVE_VIEW.format(table="blocks", columns=", ".join(columns), values=", ".join("n" for _ in columns[1:]))
        )
    done = _subprocess(CHECK, root, env, timeout=120)
    assert done.returncode == 1 and "FC105" in done.stdout, done.stderr
    assert "rebuilt it" in done.stderr and "Traceback" not in done.stderr
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'blocks'").fetchone() == ("table",)


def test_a_recursive_view_in_the_nli_cache_is_rebuilt_without_running_it(tmp_path):
    path = tmp_path / "nli.sqlite"
    with ScoreCache(path, key=b"k" * 32) as cache:
        cache.put_many("m", [(("a", "b"), DirectionScore(0.5, 0.25, 0.25))])
    columns = ["model", "premise", "hypothesis", "contradiction", "entailment", "neutral", "mac"]
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(RECURSIVE_VIEW.format(table="scores", columns=", ".join(columns), values=", ".join("n" for _ in columns[1:])))
    script = (
        "from pathlib import Path; from factcheck.nli.cache import ScoreCache\n"
        f"c = ScoreCache(Path({str(path)!r}), key=b'k' * 32)\n"
        "print(c.warnings, c.get_many('m', [('a', 'b')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "rebuilt it empty" in done.stdout and done.stdout.rstrip().endswith("{}")


def test_nli_scores_sealed_by_another_key_are_not_read(tmp_path):
    path = tmp_path / "nli.sqlite"
    score = DirectionScore(0.01, 0.98, 0.01)  # "they agree": what would lower a finding
    with ScoreCache(path, key=b"attacker" * 4) as cache:
        cache.put_many("m", [(("a", "b"), score)])
        cache.file_hash(path, lambda p: "forged")
    with ScoreCache(path, key=b"reviewer" * 4) as cache:
        assert cache.get_many("m", [("a", "b")]) == {}
        assert cache.file_hash(path, lambda p: "computed") == "computed"
    with ScoreCache(path, key=b"attacker" * 4) as cache:
        assert cache.get_many("m", [("a", "b")]) == {("a", "b"): score}


def test_runs_that_make_the_cache_key_at_once_all_read_one_whole_key(tmp_path, monkeypatch):
    # Processes started together on a new machine: each finds no key, and one writes it.
    # None may read the key file while it is still empty (which reads as a damaged key
    # and runs without a cache), and all must seal with the same key.
    from concurrent.futures import ProcessPoolExecutor

    from factcheck import trust

    for round_ in range(6):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"home{round_}"))
        monkeypatch.delenv(trust.KEY_ENV, raising=False)
        with ProcessPoolExecutor(8) as pool:
            keys = list(pool.map(_key_or_error, range(8)))
        assert len(set(keys)) == 1 and isinstance(keys[0], bytes), keys
        assert sorted(p.name for p in (tmp_path / f"home{round_}" / "factcheck").iterdir()) == ["cache-key"]


def test_a_cache_folder_without_hard_links_still_makes_a_key(tmp_path, monkeypatch):
    # Some network and FUSE mounts refuse hard links (no such file system is mountable
    # here, so link() is made to refuse as they do): the key is then created in place.
    import errno

    from factcheck import trust

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(trust.KEY_ENV, raising=False)

    def refuse(*_):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(trust.os, "link", refuse)
    key = trust.cache_key()
    assert len(key) == trust.KEY_BYTES
    assert (tmp_path / "factcheck" / "cache-key").read_bytes() == key
    assert trust.cache_key() == key
    assert sorted(p.name for p in (tmp_path / "factcheck").iterdir()) == ["cache-key"]


def _key_or_error(_: int) -> bytes | str:
    from factcheck import trust

    try:
        return trust.cache_key()
    except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
        return f"{type(exc).__name__}: {exc}"


def test_a_cache_key_that_is_a_symlink_is_not_used(tmp_path):
    root = _project(tmp_path)
    env = _env(tmp_path, "user")
    folder = Path(env["XDG_CACHE_HOME"]) / "factcheck"
    folder.mkdir(parents=True)
    planted = tmp_path / "planted-key"
    planted.write_bytes(b"k" * 32)
    (folder / "cache-key").symlink_to(planted)
    rc, out, err = run_cli(CHECK, root, env)
    assert rc == 1 and "FC105" in out
    assert "cache-key is a symlink" in err and "running without a cache" in err
    assert not (root / ".factcheck").exists()


def _file_size_limit(limit: int):
    def apply() -> None:
        # Writes past `limit` bytes fail with EFBIG, as on a full disk; without ignoring
        # SIGXFSZ the kernel would kill the process instead.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_is_not_read_as_a_corrupt_cache(tmp_path):
    root = _project(tmp_path)
    env = _env(tmp_path, "user")
    assert run_cli(CHECK, root, env)[0] == 1
    db = root / ".factcheck" / FILENAME
    kept = db.read_bytes()
    (root / "c.md").write_text(FRONT + "Kestrel Motors shares fell 9% on Wednesday.\n", encoding="utf-8")

    # 16 KB: room for the run's temporary files, none for SQLite's 32 KB shared-memory file.
    done = _subprocess(CHECK, root, env, timeout=300, preexec_fn=_file_size_limit(16384))
    assert done.returncode == 1 and "FC105" in done.stdout, done.stderr
    assert "cache" in done.stderr and "rebuilt" not in done.stderr and "corrupt" not in done.stderr, done.stderr
    assert db.read_bytes() == kept  # every entry still there for the next run

    again = _subprocess([*CHECK, "--format", "json"], root, env, timeout=300)
    assert again.returncode == 1 and again.stderr == "", again.stderr


def test_a_full_temporary_folder_is_one_clear_error(tmp_path):
    root = _project(tmp_path)
    done = _subprocess([*CHECK, "--no-cache"], root, _env(tmp_path, "user"), timeout=300, preexec_fn=_file_size_limit(64))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("factcheck: error: ") and "File too large" in done.stderr and "internal error" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_name_that_is_not_utf8_is_that_files_error(tmp_path, jobs):
    root = _project(tmp_path)
    (root / os.fsdecode(b"caf\xe9.md")).write_text("Acme Corp revenue rose 5% to $10 million in 2025.\n", encoding="utf-8")
    rc, out, err = run_cli([*CHECK, "--jobs", jobs, "--no-cache"], root)
    assert rc == 2 and "FC105" in out and "caf\\xe9.md: file name is not UTF-8" in err, (out, err)
    rc, out, err = run_cli([*CHECK, "--format", "json", "--jobs", jobs], root)
    assert rc == 2 and "Traceback" not in err, err
    report = json.loads(out)
    assert [f["code"] for f in report["findings"]] == ["FC105"]
    assert report["errors"] == [{"path": "caf\\xe9.md", "line": None, "message": "file name is not UTF-8; not read (rename it)"}]


def test_the_action_writes_nothing_inside_the_checkout(tmp_path, monkeypatch):
    """action.yml's own script, run as the runner runs it (bash, its env), on a checkout
    that carries a forged cache: the finding is reported and the checkout is untouched."""
    import yaml

    root = _project(tmp_path)
    attacker = _env(tmp_path, "attacker")
    run_cli(CHECK, root, attacker)
    _forge_hidden(root / ".factcheck" / FILENAME, attacker, monkeypatch)
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    step = next(s for s in yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"] if s.get("id") == "check")
    runner = {name: tmp_path / name for name in ("temp", "tool-cache", "home")}
    for folder in runner.values():
        folder.mkdir()
    outputs = tmp_path / "github-output"
    env = {  # what the step's env gives, the inputs at their defaults but fail-on
        "PATHS": ".", "ARGS": "", "FAIL_ON": "warning", "SARIF": "", "BASE_SHA": "0123abc", "CI": "true",
        "RUNNER_TEMP": str(runner["temp"]), "RUNNER_TOOL_CACHE": str(runner["tool-cache"]), "GITHUB_OUTPUT": str(outputs),
        "XDG_CACHE_HOME": str(runner["home"]), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(runner["home"]),
    }
    assert set(step["env"]) <= set(env)
    done = subprocess.run(["bash", "-c", step["run"]], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "::error file=a.md" in done.stdout and "FC105" in done.stdout
    written = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    assert written == {"sarif-file": str(runner["temp"] / "factcheck.sarif"), "exit-code": "1"}
    assert json.loads((runner["temp"] / "factcheck.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert (runner["tool-cache"] / "factcheck" / "0123abc" / FILENAME).is_file()
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before
