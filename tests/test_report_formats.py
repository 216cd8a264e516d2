"""The report formats on real runs: SARIF against the official 2.1.0 schema, jsonl, GitHub
workflow commands, and colour in the text report."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest

from conftest import REPO, SHARED
from factcheck.codes import finding_codes
from factcheck.report.text import render_text, use_colour
from test_cli_check import SCALE_SLIP, ARTICLES, FRONT, articles, factcheck

SARIF_SCHEMA = SHARED / "eval" / "sarif" / "sarif-schema-2.1.0.json"


def _sarif(tmp_path, *flags: str) -> dict:
    run = factcheck("check", ".", "--nli", "off", "--format", "sarif", *flags, cwd=tmp_path)
    assert run.rc in (0, 1, 2), run.err
    return json.loads(run.out)


@pytest.fixture(scope="module")
def sarif_validator():
    if not SARIF_SCHEMA.exists():
        pytest.skip("../shared/eval/sarif is not beside this checkout")
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_sarif_is_valid_on_the_corpus(sarif_validator, tmp_path):
    run = factcheck("check", str(REPO / "corpus"), "--nli", "off", "--format", "sarif", "--cache-dir", str(tmp_path), cwd=REPO)
    assert run.rc == 1
    sarif = json.loads(run.out)
    sarif_validator.validate(sarif)
    report = json.loads(factcheck("check", str(REPO / "corpus"), "--nli", "off", "--format", "json", "--no-cache", cwd=REPO).out)
    assert len(sarif["runs"][0]["results"]) == len(report["findings"]) > 0


def test_sarif_rules_locations_and_fingerprints(sarif_validator, tmp_path):
    articles(tmp_path)
    (tmp_path / "broken.md").write_text("", encoding="utf-8")
    sarif = _sarif(tmp_path, "--severity", "FC103=error")
    sarif_validator.validate(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(finding_codes())
    by_id = {r["id"]: r for r in rules}
    assert by_id["FC103"]["defaultConfiguration"]["level"] == "error"  # the override
    assert by_id["FC103"]["fullDescription"]["text"] == finding_codes()["FC103"].summary
    assert by_id["FC104"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["FC105"]["name"] == "DirectionConflict"

    report = json.loads(factcheck("check", ".", "--nli", "off", "--format", "json", "--severity", "FC103=error", cwd=tmp_path).out)
    assert len(run["results"]) == len(report["findings"]) == 2
    for result, finding in zip(run["results"], report["findings"], strict=True):
        first, *others = finding["claims"]
        assert result["ruleId"] == finding["code"] and rules[result["ruleIndex"]]["id"] == finding["code"]
        where = result["locations"][0]["physicalLocation"]
        assert where["artifactLocation"]["uri"] == first["path"]
        assert where["region"] == {"startLine": first["line"], "startColumn": first["column"]}
        related = result["relatedLocations"]
        assert [r["physicalLocation"]["artifactLocation"]["uri"] for r in related] == [c["path"] for c in others]
        assert "(1)" in result["message"]["text"]  # linked to the related location
        assert result["partialFingerprints"] == {"factcheckFindingId/v1": finding["id"]}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.md"


def test_sarif_fingerprints_survive_moving_text(tmp_path):
    articles(tmp_path)
    before = {r["partialFingerprints"]["factcheckFindingId/v1"] for r in _sarif(tmp_path)["runs"][0]["results"]}
    (tmp_path / "b.md").write_text(FRONT + "\n\nIntro line for the piece.\n\n" + ARTICLES["b.md"][len(FRONT) :], encoding="utf-8")
    results = _sarif(tmp_path)["runs"][0]["results"]
    assert {r["partialFingerprints"]["factcheckFindingId/v1"] for r in results} == before
    places = [loc["physicalLocation"] for r in results for loc in [*r["locations"], *r.get("relatedLocations", [])]]
    assert {p["region"]["startLine"] for p in places if p["artifactLocation"]["uri"] == "b.md"} == {9, 11}  # both its figures moved


def test_sarif_paths_with_spaces_and_absolute_paths(sarif_validator, tmp_path):
    articles(tmp_path / "my news")
    sarif = _sarif(tmp_path / "my news")
    sarif_validator.validate(sarif)
    run = factcheck("check", str(tmp_path / "my news"), "--nli", "off", "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(run.out)
    sarif_validator.validate(sarif)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and "my%20news" in uri


def test_jsonl_is_the_json_findings_one_per_line(tmp_path):
    articles(tmp_path)
    lines = factcheck("check", ".", "--nli", "off", "--format", "jsonl", cwd=tmp_path).out.splitlines()
    report = json.loads(factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path).out)
    assert [json.loads(line) for line in lines] == report["findings"]
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    run = factcheck("check", ".", "--nli", "off", "--format", "jsonl", cwd=tmp_path)
    assert run.rc == 2 and "empty.md" in run.err
    assert all(json.loads(line)["code"] for line in run.out.splitlines())


def test_github_annotation_per_claim_location(tmp_path):
    articles(tmp_path, {**ARTICLES, **SCALE_SLIP})
    run = factcheck("check", ".", "--nli", "off", "--format", "github", cwd=tmp_path)
    commands = [line for line in run.out.splitlines() if line.startswith("::")]
    report = json.loads(factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path).out)
    assert len(commands) == sum(len(f["claims"]) for f in report["findings"]) == 6
    assert commands[0].startswith("::error file=b.md,line=7,col=1,title=FC105 direction conflict::")
    assert commands[1].startswith("::error file=c.md,line=5,col=1,title=FC105 direction conflict::")
    assert commands[2].startswith("::error file=d.md,line=5,col=1,title=FC101 scale mismatch::")
    assert commands[3].startswith("::error file=e.md,line=5,col=1,title=FC101 scale mismatch::")
    assert sum(c.startswith("::warning ") for c in commands) == 2  # FC103 on a.md and b.md
    assert "2 error(s), 1 warning(s)" in run.out.splitlines()[-1]


def test_github_escapes_properties_and_data(tmp_path):
    files = {"odd, name: 1.md": ARTICLES["a.md"], "b.md": ARTICLES["b.md"]}
    articles(tmp_path, files)
    run = factcheck("check", ".", "--nli", "off", "--format", "github", cwd=tmp_path)
    commands = [line for line in run.out.splitlines() if line.startswith("::warning")]
    assert len(commands) == 2
    assert any(c.startswith("::warning file=odd%2C name%3A 1.md,line=5,") for c in commands)
    assert all("%0AHere: " in c and "%25" in c for c in commands)  # newline and % in the message


def test_text_colour_only_when_asked(tmp_path, monkeypatch):
    articles(tmp_path)
    report = json.loads(factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path).out)
    from factcheck.models import Report

    parsed = Report.model_validate(report)
    assert "\033[" in render_text(parsed, colour=True)
    assert "\033[" not in render_text(parsed, colour=False)
    assert "\033[" not in factcheck("check", ".", "--nli", "off", cwd=tmp_path).out  # not a TTY

    class TTY(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(TTY()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(TTY()) is False
