"""The claims cache: identical reports with and without it, reuse only when nothing the
parse depends on changed (boilerplate included), corrupt files of ours rebuilt with
one warning, concurrent runs safe."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import REPO
from factcheck.gate.cache import FILENAME, LazyRules, StageCache
from factcheck.pipeline import collect_claims, find_conflicts
from test_cli_check import articles, factcheck

MENU = "Subscribe to our newsletter"


def _collect(folder, rules, cache_dir):
    cache = StageCache(cache_dir / FILENAME)
    try:
        result = collect_claims([str(folder)], rules, None, cache)
    finally:
        cache.close()
    return result, cache


def _dump(result) -> tuple:
    return (
        [d.model_dump_json() for d in result.documents],
        [c.model_dump_json() for c in result.claims],
        [e.model_dump_json() for e in result.errors],
        result.warnings,
    )


def test_cached_json_is_byte_identical_on_the_corpus(tmp_path):
    args = ("check", "corpus", "--nli", "off", "--format", "json")
    cold = factcheck(*args, "--cache-dir", str(tmp_path / "c"), cwd=REPO)
    warm = factcheck(*args, "--cache-dir", str(tmp_path / "c"), cwd=REPO)
    uncached = factcheck(*args, "--no-cache", cwd=REPO)
    assert cold.rc == warm.rc == uncached.rc == 1
    assert cold.out == warm.out == uncached.out
    assert cold.err == warm.err == uncached.err


def test_warm_run_reuses_every_file_and_an_edit_reparses_one(tmp_path, rules):
    folder = shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    (folder / "expected.yaml").unlink()
    uncached = collect_claims([str(folder)], rules)
    first, cache = _collect(folder, rules, tmp_path)
    assert (cache.hits, cache.misses) == (0, 12)
    second, cache = _collect(folder, rules, tmp_path)
    assert (cache.hits, cache.misses) == (12, 0)
    assert _dump(first) == _dump(second) == _dump(uncached)

    edited = folder / "ecb-cuts-rates.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("cut", "lowered", 1), encoding="utf-8")
    third, cache = _collect(folder, rules, tmp_path)
    assert (cache.hits, cache.misses) == (11, 1)
    assert _dump(third) == _dump(collect_claims([str(folder)], rules))


def _check(folder, rules, cache_dir):
    """Claims and findings as `factcheck check` gets them, with the cache open around both."""
    cache = StageCache(cache_dir / FILENAME)
    try:
        result = collect_claims([str(folder)], rules, None, cache)
        findings, pairs = find_conflicts(result.claims, rules, cache)
    finally:
        cache.close()
    return [f.model_dump_json() for f in findings], pairs, cache


def test_a_warm_run_compares_nothing_and_never_loads_the_rules(tmp_path, rules):
    folder = shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    expected = find_conflicts(collect_claims([str(folder)], rules).claims, rules)
    expected = ([f.model_dump_json() for f in expected[0]], expected[1])
    cold_rules = LazyRules(REPO / "rules")
    *cold, cache = _check(folder, cold_rules, tmp_path)
    assert cache.block_hits == 0 and cache.block_misses > 1 and cold_rules.loaded
    blocks = cache.block_misses

    warm_rules = LazyRules(REPO / "rules")
    *warm, cache = _check(folder, warm_rules, tmp_path)
    assert (cache.hits, cache.block_hits, cache.block_misses) == (12, blocks, 0)
    assert not warm_rules.loaded  # nor pint's registry, nor extraction
    assert tuple(cold) == tuple(warm) == expected

    edited = folder / "kestrel-week-review.html"
    edited.write_text(edited.read_text(encoding="utf-8").replace("tumbled 9%", "tumbled 9.5%"), encoding="utf-8")
    *after, cache = _check(folder, LazyRules(REPO / "rules"), tmp_path)
    assert cache.block_misses >= 1 and cache.block_hits >= 1  # only the blocks with Kestrel's share move
    fresh = find_conflicts(collect_claims([str(folder)], rules).claims, rules)
    assert tuple(after) == ([f.model_dump_json() for f in fresh[0]], fresh[1]) != expected


def test_broken_rules_are_reported_even_when_everything_is_cached(tmp_path):
    articles(tmp_path / "news")
    rules_copy = shutil.copytree(REPO / "rules", tmp_path / "rules")
    args = ("check", "news", "--nli", "off", "--fail-on", "warning", "--rules", str(rules_copy))
    assert factcheck(*args, cwd=tmp_path).rc == 1
    (rules_copy / "severity.yaml").write_text("severity: [not, a, mapping\n", encoding="utf-8")
    run = factcheck(*args, cwd=tmp_path)
    assert run.rc == 2 and "severity.yaml" in run.err and "Traceback" not in run.err
    missing = factcheck("check", "news", "--nli", "off", "--rules", str(tmp_path / "nope"), cwd=tmp_path)
    assert missing.rc == 2 and "nope" in missing.err


def test_boilerplate_changes_reparse_exactly_the_files_they_touch(tmp_path, rules):
    body = "Kestrel Motors shares fell {}% on Wednesday, the company said in a statement to investors."
    files = {
        "one.md": f"---\ndate: 2026-07-01\n---\n\n{MENU}\n\n{body.format(8.81)}\n",
        "two.txt": f"{MENU}\n\n{body.format(9)}\n",
        "four.txt": f"{MENU}\n\n{body.format(9.2)}\n",
        # the menu as a link: the raw line is markup, only the parsed block text equals it
        "three.html": f"<html><body><p><a href='/s'>{MENU}</a></p>\n<p>{body.format(9.1)}</p></body></html>\n",
        "plain.md": f"---\ndate: 2026-07-01\n---\n\n{body.format(8.8)}\n",
    }
    folder = articles(tmp_path / "news", files)
    _collect(folder, rules, tmp_path)  # MENU is in three files: boilerplate
    (folder / "one.md").write_text(files["one.md"].replace(MENU, "Our view"), encoding="utf-8")
    # Now MENU is on two files' lines and no longer boilerplate: two.txt, four.txt and
    # three.html parse differently although their bytes did not change; plain.md never
    # mentions it.
    result, cache = _collect(folder, rules, tmp_path)
    assert (cache.hits, cache.misses) == (1, 4)
    expected = collect_claims([str(folder)], rules)
    assert _dump(result) == _dump(expected)
    assert any(MENU in s.text for d in expected.documents for s in d.sentences if d.path.endswith("three.html"))


def test_rules_and_date_are_part_of_the_key(tmp_path):
    articles(tmp_path / "news")
    rules_copy = shutil.copytree(REPO / "rules", tmp_path / "rules")
    base = ("check", "news", "--nli", "off", "--format", "json", "--rules", str(rules_copy))
    factcheck(*base, cwd=tmp_path)
    factcheck(*base, "--date", "2026-07-02", cwd=tmp_path)
    with (rules_copy / "severity.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# tuned\n")
    warm = factcheck(*base, cwd=tmp_path)
    assert warm.out == factcheck(*base, "--no-cache", cwd=tmp_path).out
    rows = sqlite3.connect(tmp_path / ".factcheck" / FILENAME).execute("SELECT count(*), count(DISTINCT path) FROM files").fetchone()
    assert rows == (3, 3)  # one entry per file: the superseded keys were dropped


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"this is not a database at all" * 100), id="garbage"),
        pytest.param(lambda p: p.unlink() or sqlite3.connect(p).executescript("CREATE TABLE t (x);").close(), id="foreign"),
    ],
)
def test_a_cache_file_that_is_not_ours_is_an_error_and_left_alone(tmp_path, damage):
    # cache_dir may come from a pull request: another program's file must survive the run.
    articles(tmp_path / "news")
    factcheck("check", "news", "--nli", "off", cwd=tmp_path)
    db = tmp_path / ".factcheck" / FILENAME
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(db)
    before = db.read_bytes()
    run = factcheck("check", "news", "--nli", "off", cwd=tmp_path)
    assert run.rc == 2 and "not a factcheck cache" in run.err and len(run.err.strip().splitlines()) == 1, run.err
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:200] + b"\0" * 5000 + p.read_bytes()[5200:]), id="truncated-pages"),
    ],
)
def test_a_corrupt_cache_of_ours_is_rebuilt_with_one_warning(tmp_path, damage):
    articles(tmp_path / "news")
    args = ("check", "news", "--nli", "off", "--format", "json")
    clean = factcheck(*args, "--no-cache", cwd=tmp_path)
    factcheck(*args, cwd=tmp_path)
    db = tmp_path / ".factcheck" / FILENAME
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(db)
    run = factcheck(*args, cwd=tmp_path)
    assert run.out == clean.out and run.rc == clean.rc
    assert run.err.count("rebuilt it") == 1 and len(run.err.strip().splitlines()) == 1, run.err
    again = factcheck(*args, cwd=tmp_path)
    assert again.err == "" and again.out == clean.out


def test_an_older_cache_layout_is_replaced_silently(tmp_path):
    articles(tmp_path)
    factcheck("check", ".", "--nli", "off", cwd=tmp_path)
    with sqlite3.connect(tmp_path / ".factcheck" / FILENAME) as conn:
        conn.execute("PRAGMA user_version = 0")
    run = factcheck("check", ".", "--nli", "off", "--fail-on", "warning", cwd=tmp_path)
    assert run.rc == 1 and run.err == ""


def test_no_cache_and_cache_dir(tmp_path):
    articles(tmp_path / "news")
    factcheck("check", "news", "--nli", "off", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".factcheck").exists()
    factcheck("check", "news", "--nli", "off", "--cache-dir", "build/fc", cwd=tmp_path)
    assert (tmp_path / "build" / "fc" / FILENAME).is_file()
    assert (tmp_path / "build" / "fc" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    (tmp_path / ".factcheck.toml").write_text("cache = false\n", encoding="utf-8")
    factcheck("check", "news", "--nli", "off", cwd=tmp_path)
    assert not (tmp_path / ".factcheck").exists()


def test_an_unwritable_cache_folder_only_warns(tmp_path):
    articles(tmp_path / "news")
    (tmp_path / "blocker").write_text("a file where the cache folder should go", encoding="utf-8")
    run = factcheck("check", "news", "--nli", "off", "--fail-on", "warning", "--cache-dir", "blocker/sub", cwd=tmp_path)
    assert run.rc == 1 and "running without a cache" in run.err and "Traceback" not in run.err


def test_concurrent_runs_share_one_cache(tmp_path):
    folder = shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    command = [sys.executable, "-m", "factcheck", "check", "corpus", "--nli", "off", "--format", "json"]
    expected = subprocess.run([*command, "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300).stdout
    for round_ in range(2):  # cold: all write at once; warm: all read while one rewrites an entry
        if round_:
            edited = folder / "ecb-cuts-rates.md"
            edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
            expected = subprocess.run([*command, "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300).stdout
        procs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
        outputs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [1] * 6, [err for _, err in outputs]
        assert all(out == expected for out, _ in outputs)
        assert all("cache" not in err for _, err in outputs), [err for _, err in outputs]


def _open_cache(path: str) -> str:
    try:
        cache = StageCache(path)
    except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
        return f"{type(exc).__name__}: {exc}"
    cache.close()
    return "; ".join(cache.warnings) or "ok"


def test_runs_creating_the_cache_at_once_all_open_it(tmp_path):
    """Many processes open one new cache file at the same moment, round after round: the
    one creating its tables must never look like another program's file to the others
    (each reads the application id and the tables in one snapshot)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(8) as pool:
        for round_ in range(25):
            path = str(tmp_path / f"round{round_}" / FILENAME)
            outcomes = pool.map(_open_cache, [path] * 8)
            assert outcomes == ["ok"] * 8, (round_, outcomes)


def test_unused_entries_expire_and_used_ones_are_kept(tmp_path, rules):
    folder = articles(tmp_path / "news")
    _collect(folder, rules, tmp_path)
    db = tmp_path / FILENAME
    month_ago = time.time() - 31 * 86400
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET used = ?", (month_ago,))
        conn.execute("INSERT INTO files SELECT 'gone', 'deleted.md', asked, hits, payload, used, mac FROM files LIMIT 1")
    _, cache = _collect(folder, rules, tmp_path)
    assert cache.hits == 3  # old entries still answer; using them renews them
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT path, used FROM files").fetchall())
    assert sorted(rows) == [str(folder / name) for name in ("a.md", "b.md", "c.md")]
    assert all(used > month_ago for used in rows.values())
