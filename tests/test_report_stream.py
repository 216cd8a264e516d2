"""Reports written in pieces (report.STREAMS, what the CLI writes) must be the very text of
the whole-string renderers (report.FORMATS) that the Python API and older callers use."""

from __future__ import annotations

import shutil

import pytest

import factcheck
from conftest import REPO
from factcheck.codes import finding_codes
from factcheck.report import FORMATS, STREAMS
from factcheck.rules import load_rules
from test_cli_check import articles
from test_cli_check import factcheck as run_cli

STREAMED = ("text", "json", "jsonl", "sarif", "github")
SETTINGS = factcheck.Settings(nli="off", cache=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # A copy, so the CLI and the API both name the articles `corpus/...` from one folder.
    folder = tmp_path_factory.mktemp("stream")
    shutil.copytree(REPO / "corpus", folder / "corpus")
    return folder


@pytest.fixture(scope="module")
def report(corpus):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(corpus)
        found = factcheck.check(["corpus"], settings=SETTINGS)
    assert found.findings  # pieces are only worth checking where there are findings to split
    return found


def _levels():
    rules = load_rules(REPO / "rules")
    return {code: rules.severity(code) for code in finding_codes()}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("colour", [False, True])
def test_pieces_join_to_the_whole_report(report, fmt, colour):
    for levels in (None, _levels()):
        pieces = list(STREAMS[fmt](report, colour=colour, levels=levels))
        assert "".join(pieces) == FORMATS[fmt](report, colour=colour, levels=levels)
        if fmt in STREAMED:
            assert len(pieces) >= len(report.findings)  # one piece or more a finding, not one string


def test_a_report_without_findings_is_the_same_in_pieces(tmp_path):
    folder = articles(tmp_path / "news", {"a.md": "---\ndate: 2026-07-01\n---\n\nKestrel Motors shares fell 8.81% on Wednesday.\n"})
    empty = factcheck.check([folder], settings=SETTINGS)
    assert not empty.findings
    for fmt in FORMATS:
        assert "".join(STREAMS[fmt](empty, colour=False, levels=None)) == FORMATS[fmt](empty, colour=False, levels=None)


@pytest.mark.parametrize("fmt", STREAMED)
def test_the_cli_writes_the_whole_report_to_stdout_and_to_a_file(corpus, report, fmt):
    flags = ("--format", fmt, "--nli", "off", "--no-cache", "--fail-on", "never")
    out = corpus / f"report.{fmt}"
    to_stdout = run_cli("check", "corpus", *flags, cwd=corpus)
    to_file = run_cli("check", "corpus", *flags, "-o", str(out), cwd=corpus)
    assert to_stdout.rc == to_file.rc == 0, to_stdout.err + to_file.err
    expected = FORMATS[fmt](report, colour=False, levels=_levels() if fmt == "sarif" else None)
    assert to_stdout.out == expected
    assert to_file.out == ""
    assert out.read_text(encoding="utf-8") == expected
