"""The command line's habits, as ruff and Vale users expect them, each in a real subprocess:
errors on stderr in every format, no abbreviated options, `-` for stdin, `--format
concise`, `--statistics`, the command list, did-you-mean, `--version` everywhere, a quiet
default NLI, progress only at a terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import REPO
from factcheck.version import __version__

FRONT = "---\ndate: 2026-07-01\n---\n\n"
# Two quantities, each a rounding difference (warnings only): Kestrel's move in a and b,
# Borealis's in b and c.
GOOD = {
    "a.md": FRONT + "Kestrel Motors shares fell 8.81% on Wednesday.\n",
    "b.md": FRONT + "Kestrel Motors shares fell 9% on Wednesday.\n\nBorealis Bank shares rose 4.2% on Wednesday.\n",
    "c.md": FRONT + "Borealis Bank shares rose 4% on Wednesday, the bank said.\n",
}
# Three articles agree on Kestrel's revenue, one does not: a finding with a suggestion.
ODD_ONE_OUT = {
    "odd.md": FRONT + "Kestrel Motors reported first-quarter revenue of $11.2 billion on Wednesday.\n",
    "wire.md": FRONT + "Kestrel Motors said on Wednesday that revenue in the first quarter was $12.9 billion.\n",
    "daily.md": FRONT + "Kestrel Motors posted first-quarter revenue of $12.9 billion on Wednesday.\n",
    "weekly.md": FRONT + "Revenue at Kestrel Motors reached $12.9 billion in the first quarter, the carmaker said.\n",
}
FORMATS = ("text", "concise", "json", "jsonl", "sarif", "github", "html")


def _cli(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "factcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=300, input=stdin, env=env
    )


def _articles(folder: Path, files: dict[str, str] = GOOD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_input_errors_go_to_stderr_in_every_format(tmp_path, fmt):
    _articles(tmp_path, {**GOOD, "empty.md": ""})
    run = _cli("check", ".", "--nli", "off", "--no-cache", "--format", fmt, cwd=tmp_path)
    assert run.returncode == 2
    assert "factcheck: error: empty.md: empty file" in run.stderr.splitlines()
    if fmt in ("text", "concise"):  # the report itself holds findings and the summary only
        assert "empty file" not in run.stdout and "1 input(s) could not be read" in run.stdout
    if fmt == "json":
        assert json.loads(run.stdout)["errors"] == [{"path": "empty.md", "line": None, "message": "empty file"}]


def test_options_are_never_abbreviated(tmp_path):
    _articles(tmp_path)
    run = _cli("check", ".", "--nli", "off", "--output=JSON", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip() == "factcheck: error: unrecognized arguments: --output=JSON; did you mean '--output-file'?"
    assert not (tmp_path / "JSON").exists()
    # A format name given to -o is a hint, not a file named "json"; ./json is a file.
    hint = _cli("check", ".", "--nli", "off", "-o", "json", cwd=tmp_path)
    assert hint.returncode == 2 and not (tmp_path / "json").exists()
    assert hint.stderr.strip() == "factcheck: error: argument -o/--output-file: 'json' is a report format: use --format json (for a file of that name: -o ./json)"
    assert _cli("check", ".", "--nli", "off", "-o", "./json", cwd=tmp_path).returncode == 0
    assert (tmp_path / "json").read_text(encoding="utf-8").startswith("a.md:")


def test_dash_reads_an_article_from_stdin(tmp_path):
    _articles(tmp_path, {k: GOOD[k] for k in ("a.md", "b.md")})
    draft = FRONT + "Kestrel Motors shares fell 8.8% on Wednesday, the company said.\n"
    run = _cli("check", "-", ".", "--stdin-filename", "drafts/today.md", "--nli", "off", "--no-cache", "--format", "json", cwd=tmp_path, stdin=draft)
    assert run.returncode == 0, run.stderr  # warnings only
    paths = {c["path"] for f in json.loads(run.stdout)["findings"] for c in f["claims"]}
    assert "drafts/today.md" in paths and "-" not in paths
    unnamed = _cli("claims", "-", cwd=tmp_path, stdin=draft)
    assert unnamed.returncode == 0 and unnamed.stdout.startswith("-:5:1: '8.8%'")
    empty = _cli("check", "-", "--stdin-filename", "draft.md", "--nli", "off", cwd=tmp_path, stdin="")
    assert empty.returncode == 2 and empty.stderr.strip() == "factcheck: error: draft.md: empty file"
    alone = _cli("check", ".", "--stdin-filename", "draft.md", "--nli", "off", cwd=tmp_path)
    assert alone.returncode == 2 and "give - among the paths" in alone.stderr


def test_concise_is_one_line_per_finding_and_statistics_count_codes(tmp_path):
    _articles(tmp_path)
    concise = _cli("check", ".", "--nli", "off", "--no-cache", "--format", "concise", cwd=tmp_path)
    *lines, summary = concise.stdout.splitlines()
    assert len(lines) == 2 and summary.startswith("0 error(s), 2 warning(s)")
    for line in lines:
        assert re.fullmatch(r"[ab]\.md:[57]:1: FC103 \S.*", line), line
    stats = _cli("check", ".", "--nli", "off", "--no-cache", "--statistics", cwd=tmp_path)
    assert stats.returncode == 0 and stats.stdout.splitlines() == ["    2  FC103  rounding difference"]
    _articles(tmp_path / "revenue", ODD_ONE_OUT)
    odd = _cli("check", "revenue", "--nli", "off", "--no-cache", "--statistics", cwd=tmp_path)
    assert odd.stdout.splitlines() == ["    1  FC102  value conflict  (1 with a suggestion)"]  # odd.md's figure
    as_json = _cli("check", ".", "--nli", "off", "--no-cache", "--statistics", "--format", "json", cwd=tmp_path)
    assert [(r["code"], r["count"]) for r in json.loads(as_json.stdout)] == [("FC103", 2), ("FC102", 1)]  # most frequent first
    refused = _cli("check", ".", "--nli", "off", "--statistics", "--format", "sarif", cwd=tmp_path)
    assert refused.returncode == 2 and refused.stdout == "" and "--statistics" in refused.stderr


def test_bare_command_lists_commands_and_mistakes_get_a_did_you_mean(tmp_path):
    bare = _cli(cwd=tmp_path)
    assert bare.returncode == 2
    for command in ("check", "claims", "config", "schema", "rule"):
        assert re.search(rf"^\s+{command}\s+\S", bare.stdout, re.M), bare.stdout
    typo = _cli("chek", "corpus", cwd=tmp_path)
    assert typo.returncode == 2 and typo.stderr.strip().endswith("did you mean 'check'?")
    choice = _cli("check", ".", "--format", "sarf", cwd=tmp_path)
    assert choice.returncode == 2 and choice.stderr.strip().endswith("did you mean 'sarif'?")


@pytest.mark.parametrize("where", [[], ["check"], ["claims"], ["config"], ["schema"], ["rule"]])
def test_version_works_wherever_help_lists_it(tmp_path, where):
    assert "--version" in _cli(*where, "--help", cwd=tmp_path).stdout
    run = _cli(*where, "--version", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.strip() == f"factcheck {__version__}"


def test_a_default_run_prints_no_warning_and_config_shows_no_unset_noise(tmp_path):
    _articles(tmp_path)
    run = _cli("check", ".", "--format", "json", cwd=tmp_path)
    assert run.returncode == 0 and run.stderr == ""  # NLI is off unless asked for: nothing to warn about
    assert json.loads(run.stdout)["stats"]["nli"] is None
    config = _cli("config", cwd=tmp_path).stdout
    assert "(unset)" not in config
    assert "# not set: nli_model, date, baseline, scheduler" in config
    assert re.search(r'^nli += "off" +# default; --nli auto --nli-model PATH turns NLI on$', config, re.M)
    assert "turn it on with --nli auto --nli-model PATH" in " ".join(_cli("check", "--help", cwd=tmp_path).stdout.split())


def _on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (stdout a pipe): what a person at a shell sees."""
    leader, follower = pty.openpty()
    # A terminal has a size; tqdm draws nothing on one of 0 columns (a bare pty's).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "TERM": "xterm"})
    os.close(follower)
    seen = b""
    started = time.monotonic()
    first: float | None = None
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            if first is None:
                first = time.monotonic() - started
            seen += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read().decode()
    proc.wait(timeout=60)
    os.close(leader)
    return proc.returncode, out, seen.decode(errors="replace") + f"\n(first output after {first}s)"


def test_progress_shows_at_a_terminal_from_the_start_and_never_elsewhere(tmp_path):
    rc, out, screen = _on_a_terminal(["check", str(REPO / "corpus"), "--nli", "off", "--no-cache", "--jobs", "1"], tmp_path)
    assert rc == 1 and out.startswith(str(REPO / "corpus"))
    assert "reading" in screen and "comparing" in screen, screen
    # The bar appears before the first article is parsed, not after a delay.
    assert float(screen.rsplit("after ", 1)[1].rstrip("s)")) < 5, screen
    piped = _cli("check", str(REPO / "corpus"), "--nli", "off", "--no-cache", cwd=tmp_path)
    assert piped.returncode == 1 and piped.stderr == ""
