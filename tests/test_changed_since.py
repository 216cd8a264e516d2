"""--changed-since REV in git repositories made by the test: everything is compared, only
findings that touch a changed (or new, untracked) file are reported."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from test_cli_check import ARTICLES, FRONT, articles, factcheck

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path):
    """main: a.md and b.md (a rounding difference); branch `draft` checked out."""
    articles(tmp_path / "content", {k: ARTICLES[k] for k in ("a.md", "b.md")})
    (tmp_path / ".gitignore").write_text(".factcheck/\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "published")
    git(tmp_path, "checkout", "-q", "-b", "draft")
    return tmp_path


def _paths(run) -> list[set[str]]:
    return [{c["path"] for c in f["claims"]} for f in run.json()["findings"]]


def test_nothing_changed_reports_nothing(repo):
    run = factcheck("check", "content", "--changed-since", "main", "--nli", "off", "--format", "json", cwd=repo)
    assert run.rc == 0 and run.json()["findings"] == []
    assert run.json()["stats"]["out_of_scope"] == 1
    assert factcheck("check", "content", "--nli", "off", "--format", "json", cwd=repo).json()["findings"]


def test_committed_uncommitted_and_untracked_changes(repo):
    (repo / "content" / "c.md").write_text(ARTICLES["c.md"], encoding="utf-8")
    git(repo, "add", "content/c.md")
    git(repo, "commit", "-q", "-m", "c")
    run = factcheck("check", "content", "--changed-since", "main", "--nli", "off", "--fail-on", "warning", "--format", "json", cwd=repo)
    assert run.rc == 1
    assert _paths(run) == [{"content/b.md", "content/c.md"}]

    (repo / "content" / "d.md").write_text(FRONT + "Kestrel Motors shares fell 8.8% on Wednesday.\n", encoding="utf-8")  # untracked
    run = factcheck("check", "content", "--changed-since", "main", "--nli", "off", "--format", "json", cwd=repo)
    assert all("content/c.md" in p or "content/d.md" in p for p in _paths(run))
    assert any("content/d.md" in p and "content/c.md" not in p for p in _paths(run))

    # An uncommitted edit to a published file counts too.
    (repo / "content" / "d.md").unlink()
    (repo / "content" / "a.md").write_text(FRONT + "Kestrel Motors shares fell 8.812% on Wednesday.\n", encoding="utf-8")
    run = factcheck("check", "content", "--changed-since", "HEAD", "--nli", "off", "--format", "json", cwd=repo)
    assert _paths(run) and all("content/a.md" in p for p in _paths(run))


def test_commits_on_the_target_after_forking_do_not_count(repo):
    git(repo, "checkout", "-q", "main")
    (repo / "content" / "b.md").write_text(ARTICLES["b.md"] + "\nA later edit on main.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit on main")
    git(repo, "checkout", "-q", "draft")
    run = factcheck("check", "content", "--changed-since", "main", "--nli", "off", "--format", "json", cwd=repo)
    assert run.json()["findings"] == []


def test_from_a_subfolder_and_with_a_renamed_file(repo):
    git(repo, "mv", "content/b.md", "content/b-renamed.md")
    git(repo, "commit", "-q", "-m", "rename")
    run = factcheck("check", ".", "--changed-since", "main", "--nli", "off", "--format", "json", cwd=repo / "content")
    assert _paths(run) == [{"a.md", "b-renamed.md"}]


def test_bad_revision_and_not_a_repository(repo, tmp_path_factory):
    run = factcheck("check", "content", "--changed-since", "no-such-branch", "--nli", "off", cwd=repo)
    assert run.rc == 2 and len(run.err.strip().splitlines()) == 1
    assert "no-such-branch" in run.err and "unknown revision" in run.err
    outside = articles(tmp_path_factory.mktemp("plain"))
    run = factcheck("check", ".", "--changed-since", "main", "--nli", "off", cwd=outside)
    assert run.rc == 2 and "--changed-since main" in run.err and "Traceback" not in run.err
