"""Output and process hygiene of a gate run (issue 30): real subprocesses, real signals,
real pipes, the operating system's own file-size limit standing in for a full disk, a
real symlink swapped under a write.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.trust import replace_file
from test_hostile import REPO, assert_inert, case_env

FRONT = "---\ndate: 2026-07-01\n---\n"
PAIR = {
    "a.md": FRONT + "Kestrel Motors shares fell 8.81% on Wednesday → the company said.\n",
    "b.md": FRONT + "Kestrel Motors shares rose 12% on Wednesday, the company said.\n",
}
CHECK = ["check", ".", "--nli", "off", "--fail-on", "warning", "--no-cache"]
F_SETPIPE_SZ = 1031  # linux/fcntl.h


def _project(tmp_path: Path, files: dict[str, str] = PAIR) -> Path:
    root = tmp_path / "work"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**case_env({}, tmp_path), "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "factcheck", *args]


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, as ENOSPC on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


# ---------------------------------------------------------------- signals


def _children(pid: int) -> set[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return {int(c) for t in tasks for c in (t / "children").read_text().split()}
    except FileNotFoundError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _archive(tmp_path: Path, n: int = 120) -> Path:
    files = {f"a{i:03}.md": FRONT + f"Kestrel Motors shares fell {i % 9}.{i % 7}% on Wednesday, the company said.\n" for i in range(n)}
    return _project(tmp_path, files)


def _interruptible() -> None:
    # A suite started in the background of a shell without job control inherits SIGINT
    # ignored, and so would the run: as a shell's background job, it would rightly keep
    # ignoring it. The run under test is a foreground one.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_pool_run(tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    """A `--jobs 2` run, once its two workers exist (they then load the rules and the
    parse model for a few seconds, so the run is still under way)."""
    root = _archive(tmp_path)
    proc = subprocess.Popen(
        _command(*CHECK, "--jobs", "2"), cwd=root, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_interruptible,
    )
    deadline = time.monotonic() + 120
    while len(workers := _children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    return proc, workers


def _gone(pids: set[int], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_the_run_and_its_workers(tmp_path, sig, status):
    proc, workers = _start_pool_run(tmp_path)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert "Traceback" not in err, err
    assert _gone(workers), [p for p in workers if _alive(p)]


def test_workers_die_with_a_parent_killed_outright(tmp_path):
    proc, workers = _start_pool_run(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert _gone(workers), [p for p in workers if _alive(p)]


def test_a_worker_whose_parent_died_before_it_started_leaves(tmp_path):
    # The death signal is only asked for once the worker runs: a parent killed in between
    # sends none, and the worker, now another process's child, must go by itself.
    code = "import sys; from factcheck.engines.local import _start_worker; _start_worker(None, int(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(os.getpid() + 1_000_000)], env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr == ""


# ---------------------------------------------------------------- stdout


def test_a_reader_that_goes_away_is_no_pass(tmp_path):
    # `factcheck check corpus | head -c 10`: the report, written finding by finding, runs
    # past the pipe's buffer (made small here), so a write meets the closed pipe.
    proc = subprocess.Popen(
        _command("check", str(REPO / "corpus"), "--nli", "off", "--format", "json", "--fail-on", "never", "--no-cache"),
        cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    fcntl.fcntl(proc.stdout.fileno(), F_SETPIPE_SZ, 4096)
    assert os.read(proc.stdout.fileno(), 10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141, err
    assert err == "", err


def test_stdout_on_a_full_disk_is_one_clear_error(tmp_path):
    root = _project(tmp_path)
    with open("/dev/full", "w") as full:
        done = subprocess.run(_command(*CHECK), cwd=root, env=_env(tmp_path), stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "factcheck: error: stdout: cannot write the report: No space left on device\n"


def test_a_cp1252_console_gets_every_report(tmp_path):
    root = _project(tmp_path)
    env = _env(tmp_path, PYTHONIOENCODING="cp1252")
    text = subprocess.run(_command(*CHECK), cwd=root, env=env, capture_output=True, timeout=300)
    assert text.returncode == 1 and text.stderr == b"", text.stderr
    shown = text.stdout.decode("cp1252")
    assert "FC105" in shown and "Wednesday \\u2192 the company" in shown
    for fmt in ("json", "sarif", "html"):
        done = subprocess.run(_command(*CHECK, "--format", fmt), cwd=root, env=env, capture_output=True, timeout=300)
        assert done.returncode == 1 and done.stderr == b"", (fmt, done.stderr)
        page = done.stdout.decode("utf-8")  # what a program reads: UTF-8, whatever the console
        assert "Wednesday → the company" in page, fmt
        if fmt != "html":
            json.loads(page)


# ---------------------------------------------------------------- report files


def test_a_failed_report_write_leaves_the_old_report(tmp_path):
    root = _project(tmp_path)
    old = '{"an": "old report", "kept": true}\n' * 3
    (root / "report.json").write_text(old, encoding="utf-8")
    done = subprocess.run(  # --jobs 1: no temporary claim spill to meet the limit first
        _command(*CHECK, "--format", "json", "--jobs", "1", "-o", "report.json"),
        cwd=root, env=_env(tmp_path), capture_output=True, text=True, timeout=300, preexec_fn=_file_size_limit(1024),
    )
    assert done.returncode == 2 and done.stderr.startswith("factcheck: error: report.json: cannot write the report: File too large"), done.stderr
    assert (root / "report.json").read_text(encoding="utf-8") == old
    assert sorted(p.name for p in root.iterdir()) == ["a.md", "b.md", "report.json"]  # no temporary file left


def test_a_link_swapped_in_during_a_write_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_text("old\n", encoding="utf-8")

    def pieces():
        yield "new "
        report.unlink()
        report.symlink_to(outside)  # the swap, between the check and the write's end
        yield "report\n"

    replace_file(report, pieces())
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not report.is_symlink() and report.read_text(encoding="utf-8") == "new report\n"


def test_a_report_to_a_device_through_its_link_is_written(tmp_path):
    root = _project(tmp_path)
    done = subprocess.run(_command(*CHECK, "--format", "json", "-o", "/dev/stdout"), cwd=root, env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and done.stderr == "", done.stderr
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["FC105"]


def test_a_report_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    report = tmp_path / "report.json"
    report.write_text("old\n", encoding="utf-8")
    report.chmod(0o640)
    replace_file(report, ["new\n"])
    assert report.read_text(encoding="utf-8") == "new\n" and report.stat().st_mode & 0o777 == 0o640


def test_html_to_stdout_in_github_actions_is_inert(tmp_path):
    files = {
        "a.md": FRONT + "::error file=README.md::owned\n\nKestrel Motors shares fell 8.81% on Wednesday, ##[stop-commands]x \x1b[2J the company said.\n",
        "b.md": PAIR["b.md"],
    }
    root = _project(tmp_path, files)
    env = _env(tmp_path, GITHUB_ACTIONS="true", CI="true")
    done = subprocess.run(_command(*CHECK, "--format", "html"), cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert_inert(done.stdout)
    assert "##&#91;stop-commands]x &#x1b;[2J the company said" in done.stdout
    # The same page as the file a browser opens: only character references differ.
    written = subprocess.run(_command(*CHECK, "--format", "html", "-o", "page.html"), cwd=root, env=env, capture_output=True, timeout=300)
    assert written.returncode == 1
    page = (root / "page.html").read_text(encoding="utf-8")
    assert done.stdout.replace("&#91;", "[").replace("&#x1b;", "\x1b") == page
