"""The README says what the code does today: its sample output is the real output, the
refs it tells pre-commit and the Action to use exist, and what `.ci/run` installs is said."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_sample_output_is_what_the_code_prints_now():
    run = subprocess.run([sys.executable, "bench/readme_sample.py", "--check"], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    for shown in ("help: ", "--format concise", "--stdin-filename", "--statistics"):
        assert shown in README


def _refs() -> list[str]:
    rev = re.findall(r"^\s+rev: (\S+)", README, re.M)
    action = re.findall(r"uses: OWNER/factcheck@(\S+)", README)
    assert rev and action
    return [*rev, *action]


def test_pre_commit_and_action_refs_exist():
    tags = subprocess.run(["git", "tag", "--list"], cwd=REPO, capture_output=True, text=True)
    if tags.returncode != 0:
        pytest.skip("not a git checkout")
    for ref in _refs():
        # A release tag must be one the repository has; otherwise the default branch.
        assert ref in tags.stdout.split() or ref == "main", ref
    assert "Releases are tagged `v` plus the version in `factcheck/version.py`" in README


def test_the_readme_says_ci_installs_chromium():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "chromium" in ci
    assert re.search(r"`\.ci/run` runs the same on a clean clone, and\s+first installs Debian's `chromium`", README)
