"""The engines: `--jobs N` (a real process pool) and `--engine dask` (a real LocalCluster of
two worker processes) give the reports a single process gives, byte for byte; a Dask run
that loses a worker gives the complete report or a clear error, never a partial one.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from test_cli_check import factcheck

import factcheck as api
from factcheck.errors import FactcheckError
from factcheck.report import FORMATS as RENDERERS

sys.path.insert(0, str(REPO / "bench"))

from generate import generate  # noqa: E402

CORPUS = REPO / "corpus"
COMMON = ("--nli", "off", "--fail-on", "never")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    generate(folder, 300, seed=11)
    return folder


@pytest.fixture(scope="module")
def skewed(tmp_path_factory) -> Path:
    """About a third of the claims share one (subject, metric) key."""
    folder = tmp_path_factory.mktemp("skewed")
    generate(folder, 400, seed=3, hot_share=0.9)
    return folder


def _check(tmp_path: Path, *args: str) -> str:
    run = factcheck("check", *args, *COMMON, cwd=tmp_path)
    assert run.rc == 0, run.err
    return run.out


# --------------------------------------------------------------------------- local


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "jsonl", "github"])
def test_jobs_2_equals_jobs_1_byte_for_byte(tmp_path, archive, fmt):
    for folder in (CORPUS, archive):
        one = _check(tmp_path, str(folder), "--format", fmt, "--no-cache", "--jobs", "1")
        two = _check(tmp_path, str(folder), "--format", fmt, "--no-cache", "--jobs", "2")
        assert one == two and one


def test_jobs_2_through_the_cache_cold_and_warm_equals_jobs_1(tmp_path, archive):
    plain = _check(tmp_path, str(archive), "--format", "json", "--no-cache", "--jobs", "1")
    cache = ("--cache-dir", str(tmp_path / "cache"))
    cold = _check(tmp_path, str(archive), "--format", "json", *cache, "--jobs", "2")
    warm = _check(tmp_path, str(archive), "--format", "json", *cache, "--jobs", "2")
    warm_one = _check(tmp_path, str(archive), "--format", "json", *cache, "--jobs", "1")
    assert plain == cold == warm == warm_one


def test_jobs_is_a_flag_and_a_variable_not_a_config_key(tmp_path, monkeypatch):
    # A config file is the checkout's, which a pull request may edit: the runner alone
    # decides how many processes a run starts (issue 30).
    (tmp_path / ".factcheck.toml").write_text("jobs = 3\n", encoding="utf-8")
    shown = factcheck("config", cwd=tmp_path)
    jobs_line = next(line for line in shown.out.splitlines() if line.startswith("jobs"))
    assert "# default" in jobs_line and "jobs is ignored" in shown.err
    flagged = factcheck("config", "--jobs", "1", cwd=tmp_path).out
    assert "= 1" in next(line for line in flagged.splitlines() if line.startswith("jobs"))
    monkeypatch.setenv("FACTCHECK_JOBS", "1")
    from_env = factcheck("config", cwd=tmp_path).out
    assert "environment (FACTCHECK_JOBS)" in next(line for line in from_env.splitlines() if line.startswith("jobs"))
    bad = factcheck("check", str(CORPUS), "--jobs", "0", cwd=tmp_path)
    assert bad.rc == 2 and len(bad.err.strip().splitlines()) == 1
    with pytest.raises(FactcheckError):
        api.Settings(jobs=0)


def test_a_large_run_keeps_no_sentences_but_reports_the_same(archive, monkeypatch):
    from factcheck.engines import local

    # jobs=2: the streaming engine (a single process takes the in-memory path)
    settings = api.Settings(nli="off", cache=False, jobs=2)
    full = api.check([archive], settings=settings)
    monkeypatch.setattr(local, "KEEP_DOCUMENTS_MAX", 10)
    lean = api.check([archive], settings=settings)
    assert RENDERERS["json"](full, colour=False, levels=None) == RENDERERS["json"](lean, colour=False, levels=None)
    assert lean.run.documents is None and full.run.documents


def test_each_claim_is_held_by_one_finding(archive):
    # Findings that share a figure are one quantity (compare.one_per_quantity), so a claim
    # the engine brings back from a worker is listed once in the whole report.
    report = api.check([archive], settings=api.Settings(nli="off", cache=False, jobs=2))
    places = [(c.path, c.line, c.column, c.text) for f in report.findings for c in (*f.claims, *f.restated)]
    assert report.findings and any(len(f.claims) + len(f.restated) > 2 for f in report.findings)
    assert len(places) == len(set(places))
    # A copy with a change leaves the claim its finding holds as it was.
    first = report.findings[0].claims[0]
    fields = set(first.__pydantic_fields_set__)
    changed = first.model_copy(update={"scope": "changed"})
    assert changed.scope == "changed" and first.scope != "changed"
    assert first.__pydantic_fields_set__ == fields


# --------------------------------------------------------------------------- dask


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


def _report(paths, **settings) -> str:
    report = api.check(paths, settings=api.Settings(nli="off", cache=False, format="json", **settings))
    return RENDERERS["json"](report, colour=False, levels=None)


def test_a_company_most_of_an_archive_names_does_not_make_it_one_block(skewed, rules):
    """Blocking by story: the hot company is in most articles, so its name alone joins
    none of them, and no block holds more than a story's figures."""
    from factcheck.link import group_by_key

    claims = api.claims([skewed], settings=api.Settings(cache=False))
    largest = max(len(block) for block in group_by_key(claims, rules).values())
    assert largest <= 0.05 * len(claims)


def test_dask_on_a_local_cluster_equals_the_local_run(cluster, archive, skewed):
    for folder in (CORPUS, archive, skewed):
        assert _report([folder], engine="dask", scheduler=cluster.scheduler_address) == _report([folder], jobs=1)


def test_dask_from_the_command_line_starts_its_own_cluster(tmp_path):
    local = _check(tmp_path, str(CORPUS), "--format", "sarif", "--no-cache", "--jobs", "1")
    dask = _check(tmp_path, str(CORPUS), "--format", "sarif", "--engine", "dask", "--jobs", "2")
    assert dask == local


def test_dask_keeps_input_errors_in_the_local_order(cluster, tmp_path):
    (tmp_path / "a.md").write_text("---\ndate: 2026-07-01\n---\n\nKestrel Motors shares fell 8.81% on Wednesday.\n", encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ndate: [\n---\n\nText.\n", encoding="utf-8")
    items = [tmp_path / "a.md", tmp_path / "missing.md", tmp_path / "empty.md", tmp_path / "bad.md", api.Article(text="", name="x.md")]
    local = api.check(items, settings=api.Settings(nli="off", cache=False, jobs=1))
    dask = api.check(items, settings=api.Settings(nli="off", cache=False, engine="dask", scheduler=cluster.scheduler_address))
    assert [e.model_dump() for e in dask.errors] == [e.model_dump() for e in local.errors] and len(local.errors) >= 3


def _mid_run(cluster, archive, disturb) -> tuple[str | None, BaseException | None, bool]:
    """Runs the Dask engine on `archive` and calls `disturb(client)` once tasks run."""
    from distributed import Client

    out: dict = {}

    def target():
        try:
            out["report"] = _report([archive], engine="dask", scheduler=cluster.scheduler_address)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            out["error"] = exc

    thread = threading.Thread(target=target)
    with Client(cluster.scheduler_address) as client:
        thread.start()
        deadline = time.monotonic() + 60
        while not any(client.processing().values()) and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        disturbed_while_running = thread.is_alive()
        disturb(client)
        thread.join(120)
        # A nanny may close rather than restart under load, even after its worker came back;
        # the next test needs two workers. scale(2) alone keeps the closed one's place, so
        # drop what is not running and ask for two again until two are there.
        deadline = time.monotonic() + 120
        while len(client.scheduler_info()["workers"]) < 2 and time.monotonic() < deadline:
            cluster.scale(len(client.scheduler_info()["workers"]))
            cluster.scale(2)
            try:
                client.wait_for_workers(2, timeout=20)
            except TimeoutError:
                continue
        client.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
    return out.get("report"), out.get("error"), disturbed_while_running


def test_dask_survives_a_killed_worker_or_says_so(cluster, archive):
    expected = _report([archive], jobs=1)

    def kill_one(client):
        pids = client.run(os.getpid)
        os.kill(sorted(pids.values())[0], signal.SIGKILL)

    report, error, mid_run = _mid_run(cluster, archive, kill_one)
    print("killed worker:", "error" if error else "complete report", error or "")
    assert mid_run, "the run finished before the worker was killed"
    if error is not None:
        assert isinstance(error, FactcheckError) and "no report was made" in str(error)
    else:
        assert report == expected


def test_dask_restart_mid_run_is_a_clear_error_or_the_full_report(cluster, archive):
    expected = _report([archive], jobs=1)
    # The restart itself is not waited for: on a loaded machine a worker can take longer
    # than distributed's 120 s to come back, and that timeout (the test's own call) said
    # nothing about the engine, whose run is what is judged here.
    report, error, mid_run = _mid_run(cluster, archive, lambda client: client.restart(wait_for_workers=False))
    print("restart:", "error" if error else "complete report", error or "")
    assert mid_run
    assert report == expected if error is None else (isinstance(error, FactcheckError) and "no report was made" in str(error))


def test_dask_refuses_workers_of_another_version_or_rules_in_one_line(tmp_path):
    """Joining a cluster (--scheduler) whose workers run another factcheck version, or
    other default rules, is one error line and exit 2, never a report made by them."""
    distributed = pytest.importorskip("distributed")
    from factcheck.rules import DEFAULT_RULES_DIR

    rules = tmp_path / "other-rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    policy = next(p for p in sorted(rules.glob("*.yaml")))
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# tuned on the worker\n", encoding="utf-8")

    def version(value):
        def set_version():
            import factcheck.version

            factcheck.version.__version__ = value

        return set_version

    def default_rules(path):
        def set_rules():
            import factcheck.rules

            factcheck.rules.DEFAULT_RULES_DIR = path

        return set_rules

    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as c,
        distributed.Client(c) as client,
    ):
        address = c.scheduler_address
        mine = client.run(lambda: __import__("factcheck").__version__)
        client.run(version("0.0.0+elsewhere"))
        run = factcheck("check", str(CORPUS), "--engine", "dask", "--scheduler", address, *COMMON, cwd=tmp_path)
        assert run.rc == 2 and run.out == ""
        assert run.err.strip().splitlines() == [run.err.strip()] and "0.0.0+elsewhere" in run.err
        client.run(version(next(iter(mine.values()))))
        client.run(default_rules(rules))
        run = factcheck("check", str(CORPUS), "--engine", "dask", "--scheduler", address, *COMMON, cwd=tmp_path)
        assert run.rc == 2 and run.out == ""
        assert run.err.strip().splitlines() == [run.err.strip()] and "rules" in run.err
        client.run(default_rules(DEFAULT_RULES_DIR))
        assert _check(tmp_path, str(CORPUS), "--format", "json", "--engine", "dask", "--scheduler", address) == _check(
            tmp_path, str(CORPUS), "--format", "json", "--no-cache", "--jobs", "1"
        )


def test_without_dask_the_engine_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an install without the extra imports
    run = factcheck("check", str(CORPUS), "--engine", "dask", *COMMON, cwd=tmp_path)
    assert run.rc == 2
    assert run.err.strip().splitlines() == [run.err.strip()] and "factcheck[dask]" in run.err


def _scan_canonical_subjects(names):
    """The plain reference for entities.canonical_subjects: every earlier root tried against
    every name, shortest names first. Quadratic, so kept here to check the indexed one."""
    from factcheck.extract.entities import _join_initials, name_key

    def squashed(name):
        return name_key(name).replace(" ", "")

    links = {"of", "and", "de", "du", "der", "la", "le", "the", "von", "van", "y", "et", "&"}

    def described(name):  # "S&P 500 futures", "Nasdaq 100": a thing of the name, or another one
        return any(w[:1].islower() and w not in links or w[:1].isdigit() for w in name.split()[1:])

    mapping, roots = {}, []
    for name in sorted(set(names), key=lambda n: (len(name_key(n)), n)):
        key, spaced, joined = squashed(name), name_key(name), name.replace(" ", "")
        target = name
        for root_key, root in roots:
            if len(root_key) < 3 or described(name) and key != root_key:
                continue
            if (
                key == root_key
                or spaced.startswith(name_key(root) + " ")
                or (len(root_key) > 3 and key.startswith(root_key) and joined[len(root_key) : len(root_key) + 1].isupper())
            ):
                target = root
                break
        else:
            roots.append((key, name))
        mapping[name] = target
    # (acronyms are joined after the prefixes, by the same linear pass in both)
    _join_initials(mapping, {n for n in mapping if described(n)})
    return mapping


def test_indexed_canonical_subjects_is_the_same_mapping(archive):
    from factcheck.extract.entities import canonical_subjects as canonical_subjects_indexed

    canonical_subjects = _scan_canonical_subjects

    found = api.claims([CORPUS, archive], settings=api.Settings(cache=False))
    names = sorted({c.subject for c in found if c.subject})
    tricky = ["Exxon Mobil Corp", "ExxonMobil", "Exxon", "AB", "ABC Corp", "ABC", "Abc Holdings", "Meta Platforms", "Meta",
              "MetaBank", "Metaverse Inc", "BP", "BP plc", "JPMorgan Chase", "JPMorgan", "Apple Inc.", "Apple", "AppleBee",
              "Nasdaq", "Nasdaq 100", "S&P 500", "S&P 500 futures", "S&P 500 energy sector", "Bank of Avalon", "Bank"]  # fmt: skip
    grown = [f"{n} {suffix}" for n in names[:100] for suffix in ("Group", "Holdings")] + [n.split()[0] + "Co" for n in names[:100]]
    for sample in (names, tricky, names + tricky + grown):
        expected = canonical_subjects(sample)
        assert canonical_subjects_indexed(sample) == expected
    assert any(k != v for k, v in canonical_subjects(names + tricky + grown).items())
    merged = canonical_subjects_indexed(tricky)
    assert merged["Meta Platforms"] == "Meta" and merged["Nasdaq 100"] == "Nasdaq 100"
    # a three-letter name heads a longer one only as a whole word
    assert merged["ABC Corp"] == "ABC" and canonical_subjects_indexed(["SVB", "SVBX Inc"])["SVBX Inc"] == "SVBX Inc"
    assert merged["S&P 500 futures"] == "S&P 500 futures" and merged["S&P 500 energy sector"] == "S&P 500 energy sector"


@pytest.mark.parametrize(
    "names, acronym, expected",
    [
        (["Varesh Consultancy Services", "VCS", "VCS Ltd"], "VCS Ltd", "Varesh Consultancy Services"),
        (["Orvane Data Systems Inc", "ODS"], "ODS", "Orvane Data Systems Inc"),
        # two companies spell the same letters: the letters stay their own name
        (["Anglo Atlantic", "Atlantic Airways", "AA"], "AA", "AA"),
        # a described name is no company's full name
        (["Stoxx Europe banks", "SEB"], "SEB", "SEB"),
    ],
)
def test_an_acronym_joins_the_one_company_it_spells(names, acronym, expected):
    from factcheck.extract.entities import canonical_subjects

    assert canonical_subjects(names)[acronym] == expected
