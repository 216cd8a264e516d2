"""The pre-commit hook and the composite GitHub Action, run the way those tools run them."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from factcheck.ingest import SUPPORTED_SUFFIXES
from test_cli_check import SCALE_SLIP, ARTICLES, articles

BIN = Path(sys.executable).parent


def _hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "factcheck")


def test_pre_commit_hook_takes_exactly_the_supported_files():
    hook = _hook()
    assert hook["require_serial"] is True  # cross-file comparison needs one run
    assert set(hook["types_or"]) == {"markdown", "plain-text", "html"}
    files = re.compile(hook["files"])
    for suffix in SUPPORTED_SUFFIXES:
        assert files.search(f"content/story{suffix}") and files.search(f"STORY{suffix.upper()}")
    for name in ("LICENSE", "README", "notes.json", "build.py", "page.xhtml", "CMakeLists.txt.bak"):
        assert not files.search(name)


@pytest.mark.skipif(shutil.which("factcheck", path=str(BIN)) is None, reason="factcheck is not installed in this environment")
def test_pre_commit_entry_runs_on_staged_files(tmp_path):
    """pre-commit runs `entry args... file...`; with --against the files are drafts."""
    articles(tmp_path / "content")
    entry = [str(BIN / "factcheck"), *shlex.split(_hook()["entry"])[1:]]
    run = subprocess.run([*entry, "content/a.md", "content/b.md"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr  # a rounding warning only
    run = subprocess.run([*entry, "--fail-on=warning", "--against=content", "content/c.md"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "content/c.md" in run.stdout


def _action_script() -> str:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)
    return next(s for s in steps if s.get("id") == "check")["run"]


def _run_action(folder: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    outputs = folder / "github_output"
    outputs.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_OUTPUT": str(outputs),
        "PATHS": inputs.get("paths", "."),
        "ARGS": inputs.get("args", "--nli off"),
        "FAIL_ON": inputs.get("fail_on", ""),
        "SARIF": inputs.get("sarif", "factcheck.sarif"),
    }
    done = subprocess.run(["bash", "-e", "-c", _action_script()], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    values = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if "=" in line)
    return done, values


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize(
    "files, fail_on, expected",
    [
        pytest.param({**ARTICLES, **SCALE_SLIP}, "", "1", id="errors"),
        pytest.param({k: ARTICLES[k] for k in ("a.md", "b.md")}, "", "0", id="warning-only"),
        pytest.param({k: ARTICLES[k] for k in ("a.md", "b.md")}, "warning", "1", id="fail-on-warning"),
        pytest.param({**ARTICLES, "empty.md": ""}, "", "2", id="input-error"),
    ],
)
def test_action_writes_sarif_annotates_and_reports_the_exit_code(tmp_path, files, fail_on, expected):
    articles(tmp_path, files)
    done, outputs = _run_action(tmp_path, fail_on=fail_on)
    assert done.returncode == 0, done.stderr  # the step records the status; a later step fails the job
    assert outputs["exit-code"] == expected, done.stdout + done.stderr
    sarif = json.loads((tmp_path / outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == sum(len(r.get("relatedLocations", [])) + 1 for r in sarif["runs"][0]["results"]) + (expected == "2")
