"""Files changed since a git revision, for `--changed-since REV` on pull requests.

"Changed since REV" means what a pull request from this branch into REV would show plus
whatever is not committed yet: the working tree against the merge base of REV and HEAD
(so commits that landed on REV after the branch forked do not count), plus untracked
files that are not ignored. Deleted files have nothing to report on and are left out.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from factcheck.errors import FactcheckError


class ChangesError(FactcheckError):
    """git is missing, the folder is not a repository, or the revision is unknown."""


def _git(args: list[str], cwd: Path, rev: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ChangesError("--changed-since", "git is not installed or not on PATH") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["git failed"])[0].removeprefix("fatal: ")
        raise ChangesError(f"--changed-since {rev}", detail)
    return done.stdout


def changed_files(rev: str, cwd: Path | None = None) -> frozenset[str]:
    """Real absolute paths of files added, modified or renamed since `rev`, untracked included."""
    cwd = Path(cwd or Path.cwd())
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, rev).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd, rev)
    except ChangesError:
        raise ChangesError(
            f"--changed-since {rev}",
            "unknown revision (in a shallow CI clone, fetch it first, e.g. actions/checkout with fetch-depth: 0)",
        ) from None
    try:
        base = _git(["merge-base", rev, "HEAD"], cwd, rev).strip()
    except ChangesError:  # unrelated histories, or no commit yet on this branch
        base = rev
    names = _git(["diff", "--name-only", "--diff-filter=d", "-z", base, "--"], top, rev).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top, rev).split("\0")
    return frozenset(os.path.realpath(top / name) for name in names if name)


def in_scope(display_paths: list[str], changed: frozenset[str]) -> frozenset[str]:
    """The display paths (as in Claim.path) that name one of the changed files."""
    return frozenset(p for p in display_paths if os.path.realpath(p) in changed)
