"""The Python API (`factcheck.check`), Settings built from every CLI option, the code
registry behind the README and `factcheck rule`, and the CLI's new output options."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest

import factcheck
from conftest import REPO
from factcheck.cli import ExitStatus, build_parser, settings_from_args
from factcheck.codes import finding_codes
from factcheck.errors import FactcheckError, RulesError
from factcheck.gate.config import SETTINGS, flag_name
from factcheck.report import FORMATS
from test_cli_check import ARTICLES, FRONT, articles
from test_cli_check import factcheck as run_cli

DRAFT = "---\ndate: 2026-07-02\n---\n\nKestrel Motors reported first-quarter revenue of $14.6 billion.\n"


def test_issue_example_runs_as_documented(tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    (tmp_path / ".factcheck.toml").write_text('nli = "off"\n', encoding="utf-8")  # no model in CI
    code = (
        "import factcheck; "
        f"r = factcheck.check([factcheck.Article(text={DRAFT!r}, name='draft.md')], against=['corpus']); "
        "print(r.findings[0].message)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=_env())
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "$11.2 billion vs $14.6 billion for Q1 2026: the values conflict; "
        "as given in 3 articles: $11.2 billion (1), $12.9 billion (1), $14.6 billion (1)\n"
    )


def _env():
    import os

    return {**os.environ, "PYTHONPATH": str(REPO)}


def test_in_memory_draft_is_the_only_scope(tmp_path):
    report = factcheck.check(
        [factcheck.Article(text=DRAFT, name="draft.md")], against=[REPO / "corpus"], settings=factcheck.Settings(nli="off", cache=False)
    )
    assert report.findings and all(any(c.path == "draft.md" for c in f.claims) for f in report.findings)
    assert report.stats.out_of_scope > 0  # the corpus's own conflicts were found and not reported
    claims = factcheck.claims([factcheck.Article(text=DRAFT, name="draft.md")], settings=factcheck.Settings(cache=False))
    assert [(c.path, c.metric, c.value) for c in claims] == [("draft.md", "revenue", 14.6e9)]


def test_article_published_is_the_date_of_an_undated_text():
    # (a share move: a company's result is for a quarter or year, never the weekday it was reported on)
    text = "Kestrel Motors shares fell 3% on Wednesday.\n"
    settings = factcheck.Settings(cache=False)
    dated = factcheck.claims([factcheck.Article(text=text, name="d.txt", format="txt", published=_date("2026-07-02"))], settings=settings)
    undated = factcheck.claims([factcheck.Article(text=text, name="d.txt", format="txt")], settings=settings)
    assert dated[0].period.start == _date("2026-07-01")  # the Wednesday before publication
    assert undated[0].period.start is None
    with pytest.raises(ValueError, match="format"):
        factcheck.Article(text=text, name="d.pdf", format="pdf")


def _date(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_cached_and_uncached_reports_are_byte_identical(tmp_path):
    corpus = shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    uncached = factcheck.check([corpus], settings=factcheck.Settings(nli="off", cache=False))
    cached = factcheck.Settings(nli="off", cache_dir=tmp_path / "cache")
    cold, warm = factcheck.check([corpus], settings=cached), factcheck.check([corpus], settings=cached)
    assert (tmp_path / "cache").is_dir()
    for fmt in ("json", "sarif", "text"):
        expected = FORMATS[fmt](uncached)
        assert FORMATS[fmt](cold) == expected
        assert FORMATS[fmt](warm) == expected


# Every option of `factcheck check`, the value it is given here, and what Settings or the
# report must show for it. A new option fails this test until it is added.
def test_checks_in_one_process_share_the_rules_until_a_file_changes(tmp_path):
    from factcheck.rules import load_rules

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    pair = [
        factcheck.Article(text="Kestrel Motors shares rose 4% on Monday, 2026-03-02.", name="a.md"),
        factcheck.Article(text="Kestrel Motors shares rose 9% on Monday, 2026-03-02.", name="b.md"),
    ]
    settings = factcheck.Settings(nli="off", cache=False, rules=rules)
    first = factcheck.check(pair, settings=settings)
    # one company's move on one day, read two ways and surely linked: FC102 at its severity
    assert [f.severity for f in first.findings] == ["error"]
    loaded = load_rules(rules)
    factcheck.check(pair, settings=settings)
    assert load_rules(rules) is loaded  # built once, not once a call

    severity = rules / "severity.yaml"
    severity.write_text(severity.read_text(encoding="utf-8").replace("FC102: error", "FC102: info"), encoding="utf-8")
    edited = factcheck.check(pair, settings=settings)
    assert [f.severity for f in edited.findings] == ["info"]
    assert load_rules(rules) is not loaded


def test_a_conflict_on_a_weaker_link_than_the_floor_is_not_reported_a_rounding_is(tmp_path):
    rules = shutil.copytree(REPO / "rules", tmp_path / "rules")
    settings = factcheck.Settings(nli="off", cache=False, rules=rules)
    day = "on Monday, 2026-03-02."

    def found(first: str, second: str) -> list[tuple[str, float]]:
        pair = [factcheck.Article(text=f"Kestrel Motors shares rose {first} {day}", name="a.md"),
                factcheck.Article(text=f"Kestrel Motors shares rose {second} {day}", name="b.md")]
        return [(f.code, f.link.probability) for f in factcheck.check(pair, settings=settings).findings]

    conflict, rounding = found("4%", "9%"), found("8.8%", "9%")
    assert [code for code, _ in conflict] == ["FC102"] and [code for code, _ in rounding] == ["FC103"]
    # a floor above the link: the conflict goes, as a weak link's would; the rounding,
    # which its values tell as much as its link, stays
    severity = rules / "severity.yaml"
    floor = (1 + conflict[0][1]) / 2
    severity.write_text(severity.read_text(encoding="utf-8").replace("weak_link_floor: 0.1 ", f"weak_link_floor: {floor:.4f} "), encoding="utf-8")
    assert found("4%", "9%") == [] and [code for code, _ in found("8.8%", "9%")] == ["FC103"]
    severity.write_text(severity.read_text(encoding="utf-8").replace("weak_link_codes: [FC101, FC102]", "weak_link_codes: [FC101, FC120]"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"severity\.yaml.*FC120"):
        factcheck.check([factcheck.Article(text="Kestrel Motors shares rose 4%.", name="a.md")], settings=settings)


def test_a_weak_conflict_is_listed_only_inside_a_surer_finding_of_its_figure(tmp_path):
    rules = shutil.copytree(REPO / "rules", tmp_path / "rules")
    settings = factcheck.Settings(nli="off", cache=False, rules=rules)
    moved = factcheck.Article(text="Kestrel Motors shares rose 4% on Monday, 2026-03-02.", name="a.md")
    same_words = factcheck.Article(text="Kestrel Motors shares rose 9% on Monday, 2026-03-02.", name="b.md")
    other_words = factcheck.Article(text="Kestrel Motors said on Monday, 2026-03-02, that its order book grew 6%.", name="c.md")
    weak = factcheck.check([moved, other_words], settings=settings).findings
    sure = factcheck.check([moved, same_words], settings=settings).findings
    assert [f.code for f in weak] == [f.code for f in sure] == ["FC102"] and weak[0].link.probability < sure[0].link.probability
    severity = rules / "severity.yaml"
    floor = (weak[0].link.probability + sure[0].link.probability) / 2
    severity.write_text(severity.read_text(encoding="utf-8").replace("weak_link_floor: 0.1 ", f"weak_link_floor: {floor:.4f} "), encoding="utf-8")
    # alone, the weaker pair is no finding; beside a surer finding of the same figure, its
    # figure is one more mention of that finding
    assert factcheck.check([moved, other_words], settings=settings).findings == []
    (finding,) = factcheck.check([moved, same_words, other_words], settings=settings).findings
    assert sorted(c.text for c in finding.claims) == ["4%", "6%", "9%"]


def test_every_check_option_flows_through_settings_and_check(tmp_path):
    folder = articles(tmp_path / "site", {**ARTICLES, "skip/d.md": ARTICLES["c.md"]})
    rules = shutil.copytree(REPO / "rules", tmp_path / "rules")
    config = tmp_path / "ci.toml"
    config.write_text('fail_on = "warning"\n', encoding="utf-8")
    argv = [
        "check", str(folder / "a.md"), "--against", str(folder),
        "--config", str(config), "--rules", str(rules), "--date", "2026-07-01",
        "--cache-dir", str(tmp_path / "cache"), "--no-cache", "--exclude", "skip",
        "--format", "json", "--fail-on", "info", "--select", "FC10", "--ignore", "FC101",
        "--severity", "FC103=error", "--nli", "off", "--nli-model", "models/none",
        "--baseline", str(tmp_path / "unused.json"), "--changed-since", "HEAD",
        "--jobs", "2", "--engine", "local", "--scheduler", "tcp://127.0.0.1:8786",
        "--write-baseline", str(tmp_path / "baseline.json"), "--quiet", "--output-file", str(tmp_path / "out.json"),
        "--max-file-bytes", "1000000", "--max-sentence-chars", "9000",
    ]  # fmt: skip
    # What only shapes the CLI's output, parsed here and left out of the CLI run below.
    argv[argv.index("--jobs"):argv.index("--jobs")] = ["--statistics", "--stdin-filename", "draft.md"]
    parser = build_parser()
    # --version and --debug belong to every command, not to a check (tests/test_cli_habits.py).
    every = {a.dest for a in parser._subparsers._group_actions[0].choices["check"]._actions} - {"help", "version", "debug"}
    given = {a.dest for a in parser._subparsers._group_actions[0].choices["check"]._actions if set(a.option_strings) & set(argv)}
    assert every - given == {"paths"}, "an option of `factcheck check` is not exercised here"

    args = parser.parse_args(argv)
    settings = settings_from_args(args)
    assert settings.file == config
    assert (settings.format, settings.fail_on, settings.nli, settings.nli_model) == ("json", "info", "off", "models/none")
    assert settings.select == ("FC101", "FC102", "FC103", "FC104", "FC105") and settings.ignore == ("FC101",)
    assert settings.codes == frozenset({"FC102", "FC103", "FC104", "FC105"})
    assert dict(settings.severity) == {"FC103": "error"} and settings.rules == rules
    assert settings.date == _date("2026-07-01") and settings.cache is False and settings.cache_path is None
    assert settings.baseline == tmp_path / "unused.json" and settings.exclude == ("skip",)
    assert (settings.max_file_bytes, settings.max_sentence_chars) == (1_000_000, 9000)
    assert (settings.jobs, settings.engine, settings.scheduler) == (2, "local", "tcp://127.0.0.1:8786")
    for key in SETTINGS:
        if key not in ("severity",):
            assert settings.source(key) == f"command line ({flag_name(key)})", key

    # check() with what the CLI would pass: --changed-since needs a git repository.
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    report = factcheck.check(args.paths, settings=settings, against=args.against, write_baseline=args.write_baseline)
    assert report.stats.baseline is not None and report.stats.baseline.path == args.write_baseline
    assert report.notes == [f"wrote 0 finding(s) to {args.write_baseline}"] or report.notes[0].startswith("wrote ")
    assert all(f.code != "FC101" for f in report.findings)
    assert not any(c.path.endswith("d.md") for f in report.findings for c in f.claims)  # excluded
    assert not (tmp_path / "cache").exists()

    run = run_cli(*argv[:argv.index("--changed-since")], *argv[argv.index("--write-baseline"):], cwd=folder)
    assert run.out == "" and run.err.startswith("factcheck: wrote ")  # the report went to the file
    written = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert written["schema_version"] == factcheck.Report.model_fields["schema_version"].default


# format and fail_on shape what the CLI prints and how it exits, never what check finds.
CLI_ONLY = {"format", "fail_on"}


class _Handed(Exception):
    """Raised by the stand-in engine: check passed the run on, with these settings."""


def _setting_cases(tmp_path, folder, monkeypatch):
    """Per setting key: the Settings fields changed from BASE and what check must then show."""
    import factcheck.engines

    rules = shutil.copytree(REPO / "rules", tmp_path / "rules")
    severity = rules / "severity.yaml"
    severity.write_text(severity.read_text(encoding="utf-8").replace("FC103: warning", "FC103: info", 1), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    factcheck.check([folder], settings=_BASE, write_baseline=baseline)
    undated = articles(tmp_path / "undated", {name: text.removeprefix(FRONT) for name, text in ARTICLES.items()})

    real = factcheck.engines.run_check

    def engine(items, settings, *rest):
        # The default run streams through the local engine too; only a run that asks for
        # workers or a cluster is stopped here.
        if settings.jobs is None and settings.engine == "local":
            return real(items, settings, *rest)
        raise _Handed(settings)

    monkeypatch.setattr(factcheck.engines, "run_check", engine)

    def codes(report):
        return {f.code for f in report.findings}

    def levels(report, code):
        return {f.severity for f in report.findings if f.code == code}

    def errors(report, needle):
        return report.errors and all(needle in e.message for e in report.errors)

    return {
        "select": ({"select": ("FC103",)}, lambda r: codes(r) == {"FC103"}),
        "ignore": ({"ignore": ("FC103",)}, lambda r: codes(r) == {"FC105"}),
        "severity": ({"severity": {"FC103": "error"}}, lambda r: levels(r, "FC103") == {"error"}),
        "rules": ({"rules": rules}, lambda r: levels(r, "FC103") == {"info"}),
        "nli": ({"nli": "required", "nli_model": str(tmp_path / "no-model")}, "no-model"),
        "cache": ({"cache": True}, lambda r: (folder / ".factcheck").is_dir()),
        "cache_dir": ({"cache": True, "cache_dir": tmp_path / "cache"}, lambda r: (tmp_path / "cache").is_dir()),
        "date": ({"date": _date("2026-07-01")}, lambda r: {d.published for d in r.run.documents} == {_date("2026-07-01")}),
        "baseline": ({"baseline": baseline}, lambda r: not r.findings and r.stats.baseline.hidden > 0),
        "exclude": ({"exclude": ("c.md",)}, lambda r: codes(r) == {"FC103"}),
        "max_file_bytes": ({"max_file_bytes": 50}, lambda r: errors(r, "over max_file_bytes (50)")),
        "max_sentence_chars": ({"max_sentence_chars": 10}, lambda r: errors(r, "over max_sentence_chars (10)")),
        "jobs": ({"jobs": 2}, _Handed),
        "engine": ({"engine": "dask", "scheduler": "tcp://127.0.0.1:1"}, _Handed),
    }


_BASE = factcheck.Settings(nli="off", cache=False)


# Every setting, changed alone from the defaults, changes what factcheck.check does: the
# other half of the test above, which only follows the options into Settings.
def test_every_setting_reaches_check(tmp_path, monkeypatch):
    folder = articles(tmp_path / "site")
    monkeypatch.chdir(folder)  # the default cache folder sits beside the config file, else here
    before = factcheck.check([folder], settings=_BASE)
    assert {(f.code, f.severity) for f in before.findings} == {("FC103", "warning"), ("FC105", "error")}
    assert not before.errors and before.stats.baseline is None
    cases = _setting_cases(tmp_path, folder, monkeypatch)
    covered = {field for changes, _ in cases.values() for field in changes}
    assert set(SETTINGS) - CLI_ONLY == covered, "a setting is not followed into check here"
    for key, (changes, expect) in cases.items():
        settings = dataclasses.replace(_BASE, **changes)
        paths = [tmp_path / "undated"] if key == "date" else [folder]
        if isinstance(expect, str):  # check refuses, naming the value
            with pytest.raises(FactcheckError, match=expect):
                factcheck.check(paths, settings=settings)
        elif expect is _Handed:  # check hands the run to an engine, settings and all
            with pytest.raises(_Handed) as handed:
                factcheck.check(paths, settings=settings)
            assert all(getattr(handed.value.args[0], k) == v for k, v in changes.items()), key
        else:
            default = factcheck.check(paths, settings=_BASE) if key == "date" else before
            assert not expect(default), f"{key}: the defaults already show this"
            assert expect(factcheck.check(paths, settings=settings)), key


def test_changed_since_limits_check_to_files_changed(tmp_path, monkeypatch):
    folder = articles(tmp_path / "site")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "a.md", "b.md"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "published"], cwd=folder, check=True)
    monkeypatch.chdir(folder)
    report = factcheck.check(["."], settings=_BASE, changed_since="HEAD")
    assert {f.code for f in report.findings} == {"FC105"}  # a/b's FC103 touches no changed file
    assert all(any(c.path == "c.md" for c in f.claims) for f in report.findings)
    assert report.stats.out_of_scope > 0


def test_exclude_quiet_and_output_file_on_the_command_line(tmp_path):
    folder = articles(tmp_path / "site", {**ARTICLES, "drafts/x.md": "Kestrel Motors shares rose 40% on Wednesday.\n"})
    full = run_cli("check", ".", "--nli", "off", "--no-cache", "--format", "json", cwd=folder)
    skipped = run_cli("check", ".", "--nli", "off", "--no-cache", "--format", "json", "--exclude", "drafts", cwd=folder)
    assert full.json()["stats"]["documents"] == 4 and skipped.json()["stats"]["documents"] == 3
    nothing = run_cli("check", ".", "--nli", "off", "--no-cache", "--exclude", "*.md", cwd=folder)
    assert nothing.rc == ExitStatus.OK and "in 0 document(s)" in nothing.out  # excluded is not missing

    (folder / "latin1.txt").write_bytes("Kestrel Motors shares fell 9% on Wednesday \xe2\x80\x94 caf\xe9.\n".encode("latin-1", "replace"))
    noisy = run_cli("check", ".", "--nli", "off", "--no-cache", "--fail-on", "warning", cwd=folder)
    quiet = run_cli("check", ".", "--nli", "off", "--no-cache", "--fail-on", "warning", "--quiet", cwd=folder)
    assert "warning" in noisy.err and quiet.err == ""
    assert quiet.rc == noisy.rc == ExitStatus.FINDINGS

    out = tmp_path / "report.txt"
    to_file = run_cli("check", ".", "--nli", "off", "--no-cache", "--fail-on", "warning", "--quiet", "-o", str(out), cwd=folder)
    assert to_file.out == "" and out.read_text(encoding="utf-8") == quiet.out


def test_claims_json_goes_through_report_with_its_schema(tmp_path):
    folder = articles(tmp_path / "site")
    run = run_cli("claims", ".", "--format", "json", "--no-cache", cwd=folder)
    payload = run.json()
    schema = json.loads((REPO / "docs" / "claims.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(payload, schema)
    assert payload["schema_version"] == factcheck.Report.model_fields["schema_version"].default
    assert len(payload["claims"]) == 6  # one per figure of the three articles
    assert run_cli("schema", "claims", cwd=folder).out == (REPO / "docs" / "claims.schema.json").read_text(encoding="utf-8")


def test_readme_code_table_matches_the_registry():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (FC\d+) \| (\w+) \| (\w+) \|", readme, re.M)
    assert rows == [(c.code, c.kind, c.default_severity) for c in finding_codes().values()]


def test_rule_explains_a_code_like_ruff_rule(tmp_path):
    run = run_cli("rule", "fc103", cwd=tmp_path)
    assert run.rc == ExitStatus.OK
    assert run.out.startswith("# FC103 rounding difference\n") and "Anti-pattern" in run.out and "Best practice" in run.out
    listing = run_cli("rule", cwd=tmp_path)
    assert [line.split()[0] for line in listing.out.splitlines()] == list(finding_codes())
    unknown = run_cli("rule", "FC999", cwd=tmp_path)
    assert unknown.rc == ExitStatus.USAGE and "unknown finding code" in unknown.err


def test_interrupt_exits_130(tmp_path, monkeypatch):
    import factcheck.api

    def interrupted(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr(factcheck.api, "check", interrupted)  # stands in for a user's Ctrl-C
    assert run_cli("check", ".", "--no-cache", cwd=articles(tmp_path / "s")).rc == ExitStatus.INTERRUPTED == 130


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs():
    import io

    from factcheck.progress import progress_bar

    with progress_bar(io.StringIO()) as progress:
        assert progress is None  # not a terminal

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    with progress_bar(screen, delay=0) as progress:
        progress("read", 1, 2)
        progress("read", 2, 2)
    assert "reading" in screen.getvalue()
    quick = Terminal()
    with progress_bar(quick, delay=60) as progress:
        progress("read", 2, 2)
    assert quick.getvalue() == ""
    with progress_bar(Terminal(), enabled=False) as progress:
        assert progress is None


def _forecast_findings(first_firm: str, second_firm: str, rules) -> list:
    settings = factcheck.Settings(nli="off", cache=False)
    drafts = [
        factcheck.Article(text=f"---\ndate: 2026-05-20\n---\n{firm} expects Dunmore Labs to report revenue of ${value} billion next year.\n", name=name)
        for name, firm, value in (("a.md", first_firm, "2.6"), ("b.md", second_firm, "3.4"))
    ]
    return factcheck.check(drafts, settings=settings, rules=rules).findings


@pytest.mark.xfail(strict=True, reason="one firm's two forecasts for one year are linked below the warning threshold: "
                   "the labelled groups hold few same-source forecast pairs to learn the attribution weight from")
def test_two_unlisted_firms_forecasts_are_two_opinions(rules):
    """Firms the rules do not list are sources as listed ones are: their forecasts differ
    without either being wrong, while one firm's two figures for one year do conflict."""
    assert _forecast_findings("Kestrel Securities", "Morrow Bank", rules) == []
    same = _forecast_findings("Kestrel Securities", "Kestrel Securities", rules)
    assert [[c.attribution for c in f.claims] for f in same] == [["Kestrel Securities", "Kestrel Securities"]]


def test_two_listings_of_one_company_move_apart_without_a_conflict(rules):
    """A company's Hong Kong-listed shares and its ADRs trade apart: opposite moves on one
    day are two figures, while two articles on one listing's move do meet."""
    settings = factcheck.Settings(nli="off", cache=False)
    front = "---\ndate: 2026-10-27\n---\n"
    drafts = [
        factcheck.Article(text=front + "Halvern Steel's Hong Kong-listed shares fell 2% on Monday.\n", name="a.md"),
        factcheck.Article(text=front + "Halvern Steel's American depositary receipts rose 1% on Monday.\n", name="b.md"),
    ]
    assert factcheck.check(drafts, settings=settings, rules=rules).findings == []
    drafts.append(factcheck.Article(text=front + "Halvern Steel's Hong Kong-listed shares rose 3% on Monday.\n", name="c.md"))
    found = factcheck.check(drafts, settings=settings, rules=rules).findings
    assert [sorted(c.path for c in f.claims) for f in found] == [["a.md", "c.md"]]


@pytest.mark.parametrize(
    "sentence, values, apart, together",
    [
        # a company's guidance given in February and raised in July: two forecasts
        ("Halvern Steel expects 2026 revenue of ${} billion, it said on Thursday.", ("20", "24"), ("2026-02-05", "2026-07-30"), ("2026-07-30", "2026-07-31")),
        # a change so far this year is as of the day it is written, as a close is
        (
            "Shares of Halvern Steel have climbed {}% this year, leaving it among the index's best performers.",
            ("14", "18"),
            ("2026-07-03", "2026-07-10"),
            ("2026-07-03", "2026-07-03"),
        ),
        # a statistic's advance estimate and its second, a month later: two vintages
        (
            "Norvian gross domestic product grew at a {}% annual rate in the third quarter of 2026, the statistics office said.",
            ("3.3", "3.6"),
            ("2026-10-29", "2026-11-26"),
            ("2026-10-29", "2026-10-30"),
        ),
    ],
    ids=["forecast-revised-months-later", "gain-this-year-a-week-later", "statistic-released-again-a-month-later"],
)
def test_a_figure_written_again_later_is_another_figure(sentence, values, apart, together, rules):
    """Two figures of one quantity written on different days are two figures when the
    quantity is of the day it is written: a revised forecast, a gain so far this year, a
    statistic's later release. Written together, they disagree."""
    settings = factcheck.Settings(nli="off", cache=False)

    def articles(dates: tuple[str, str]):
        return [
            factcheck.Article(text=f"---\ndate: {date}\n---\n{sentence.format(value)}\n", name=name)
            for date, value, name in zip(dates, values, ("a.md", "b.md"))
        ]

    assert factcheck.check(articles(apart), settings=settings, rules=rules).findings == []
    found = factcheck.check(articles(together), settings=settings, rules=rules).findings
    assert [(f.code, sorted(c.path for c in f.claims)) for f in found] == [("FC102", ["a.md", "b.md"])]
