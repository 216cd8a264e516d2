"""The default run (the streaming local engine, a pool only for runs with many articles to
extract) and `--jobs 2` (a real process pool) give what `--jobs 1` (one process, all in
memory) gives, byte for byte, in every format, cached or not, on hostile input too.
Every path extracts an article with pipeline.article_claims; these tests keep it so.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from conftest import REPO, SHARED
from test_cli_check import factcheck

import factcheck as api
from factcheck.engines import local, usable_cores
from factcheck.report import FORMATS

SEEDS = SHARED / "seeds"
MODES = {"one process": ("--jobs", "1"), "default": (), "pool of 2": ("--jobs", "2")}


def _hostile():
    spec = importlib.util.spec_from_file_location("hostile_cases", REPO / "tests" / "hostile" / "test_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


HOSTILE = _hostile()
# --debug prints the traceback on purpose, and its frames differ by engine.
CHECK_CASES = [c for c in HOSTILE.CASES if c["args"][0] == "check" and "--jobs" not in c["args"] and "--debug" not in c["args"]]


@pytest.mark.parametrize("case", CHECK_CASES, ids=[c["id"] for c in CHECK_CASES])
def test_hostile_check_cases_are_the_same_on_every_engine(case, tmp_path):
    """Skipped links, FIFOs, oversized files, an article that crashes extraction, figures
    too large to compare: the same exit status, report, errors and warnings."""
    seen = {}
    for name, flags in MODES.items():
        root = tmp_path / name.replace(" ", "-") / "work"
        root.mkdir(parents=True)
        HOSTILE._build(case, root)
        env = HOSTILE.case_env(case, root.parent)
        if case.get("prerun"):
            HOSTILE.run_cli([*case["prerun"], *flags], root, env)
            for db, sql in (case.get("sql") or {}).items():
                HOSTILE._sql(root / db, sql)
        try:
            rc, out, err = HOSTILE.run_cli([*map(HOSTILE._arg, case["args"]), *flags], root, env)
        finally:
            if case.get("deep"):
                HOSTILE._undeep(root, case["deep"])
        assert "Traceback" not in out + err, (name, err)
        seen[name] = (rc, out.replace(str(root), "ROOT"), err.replace(str(root), "ROOT"))
    first = seen["one process"]
    for name, got in seen.items():
        assert got == first, name


def _folders():
    folders = [REPO / "corpus"]
    if SEEDS.is_dir():
        folders.append(SEEDS)
    return folders


def _rendered(report) -> dict[str, str]:
    """Every format, and what the CLI prints beside the report."""
    return {fmt: render(report, colour=False, levels=None) for fmt, render in FORMATS.items()} | {
        "warnings": json.dumps(report.warnings),
    }


def _run(paths, cache: Path | None = None, **settings) -> dict[str, str]:
    options = {"cache": True, "cache_dir": cache} if cache else {"cache": False}
    return _rendered(api.check(paths, settings=api.Settings(nli="off", **options, **settings)))


def test_reports_are_the_same_on_every_engine_cached_or_not(tmp_path):
    """corpus/ and the seed articles (../shared/seeds, when present)."""
    for folder in _folders():
        expected = _run([folder], jobs=1)
        assert expected["json"] and json.loads(expected["json"])["stats"]["documents"] > 1
        assert _run([folder]) == expected, folder
        assert _run([folder], jobs=2) == expected, folder
        cache = tmp_path / f"cache-{folder.name}"
        assert _run([folder], cache, jobs=2) == expected, folder  # cold, through a pool
        assert _run([folder], cache) == expected, folder  # warm
        assert _run([folder], cache, jobs=1) == expected, folder


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_command_line_prints_the_same_by_default_as_with_jobs_1(fmt, tmp_path):
    for folder in _folders():
        common = ("check", str(folder), "--format", fmt, "--nli", "off", "--fail-on", "never", "--no-cache")
        one, default = factcheck(*common, "--jobs", "1", cwd=tmp_path), factcheck(*common, cwd=tmp_path)
        assert one.out and (default.rc, default.out, default.err) == (one.rc, one.out, one.err), folder.name


def test_a_generated_archive_is_the_same_on_every_engine_and_the_default_starts_a_pool(tmp_path, monkeypatch):
    """The default starts a pool once enough articles miss the cache (the threshold is
    lowered here to keep the archive small), and stays in this process on a warm run."""
    archive = tmp_path / "archive"
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    from generate import generate

    generate(archive, 120, seed=23)
    monkeypatch.setattr(local, "AUTO_PARALLEL_MIN", 60)
    pools: list[int] = []
    real_pool = local._pool
    monkeypatch.setattr(local, "_pool", lambda jobs, rules_dir: pools.append(jobs) or real_pool(jobs, rules_dir))

    def run(cache: Path | None = None, **settings) -> dict[str, str]:
        return _run([archive], cache, **settings)

    expected = run(jobs=1)
    assert run() == expected
    assert run(jobs=2) == expected
    assert pools == [usable_cores(), 2]
    pools.clear()
    cache = tmp_path / "cache"
    assert run(cache) == expected  # cold: everything misses, so a pool
    assert run(cache) == expected  # warm: nothing to extract, so this process
    assert run(cache, jobs=1) == expected
    assert pools[-1] == 1


def test_an_error_raised_in_a_worker_reaches_the_parent_whole():
    import pickle

    from factcheck.errors import InputFileError, RulesError

    for error in (InputFileError("a.md", "cannot be read", 3), RulesError("rules/units.yaml", "bad unit")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and back.line == error.line


def test_a_run_that_keeps_only_summaries_suppresses_and_warns_the_same(tmp_path, monkeypatch):
    """Beyond KEEP_DOCUMENTS_MAX articles a run keeps a path and the suppressions of each
    (pipeline.ArticleSummary): inline comments, unknown codes in them and the baseline
    still work from those."""
    from test_cli_check import ARTICLES, FRONT, articles

    b_text = FRONT + "<!-- factcheck: ignore FC103, XX999 -->\nKestrel Motors shares fell 9% on Wednesday.\n"
    articles(tmp_path, {"a.md": ARTICLES["a.md"], "b.md": b_text, "c.md": ARTICLES["c.md"]})
    expected = _run([tmp_path], jobs=1)
    monkeypatch.setattr(local, "KEEP_DOCUMENTS_MAX", 1)
    lean = api.check([tmp_path], settings=api.Settings(nli="off", cache=False, jobs=2))
    assert lean.run.documents is None
    assert {k: v for k, v in _rendered(lean).items() if k != "html"} == {k: v for k, v in expected.items() if k != "html"}
    stats = json.loads(expected["json"])["stats"]
    assert stats["suppressed"] >= 1 and "XX999" in expected["warnings"]
