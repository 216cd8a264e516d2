"""`factcheck check` on real files in temp folders: exit codes for every format, code
selection and severity overrides, drafts against a corpus, stable finding ids, the schema.

The helpers here (`articles`, `factcheck`) are shared by the other CLI test files.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO
from factcheck.cli import main

FRONT = "---\ndate: 2026-07-01\n---\n\n"
# Two quantities, one finding each: Kestrel's move, a rounding difference between a and b
# (FC103, warning); Borealis's move, up in b and down in c to one closing price (FC105, error:
# the price both give makes the link sure).
ARTICLES = {
    "a.md": FRONT + "Kestrel Motors shares fell 8.81% on Wednesday.\n",
    "b.md": FRONT + "Kestrel Motors shares fell 9% on Wednesday.\n\nBorealis Bank shares rose 4% to $52.10 on Wednesday.\n",
    "c.md": FRONT + "Borealis Bank shares fell 4% to $52.10 on Wednesday, the bank said.\n",
}
# A figure's scale slipped: the pair the learned link is surest is an error. (The
# others above are warnings: the link's confidence in two one-line moves is below the
# error threshold of their value relation, rules/linkage.yaml.)
SCALE_SLIP = {
    "d.md": FRONT + "Kestrel Motors reported quarterly revenue of $11.2 billion on Wednesday.\n",
    "e.md": FRONT + "Kestrel Motors reported quarterly revenue of $11.2 million on Wednesday.\n",
}
FORMATS = ("text", "json", "jsonl", "sarif", "github")


@dataclass
class Run:
    rc: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def articles(folder: Path, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (ARTICLES if files is None else files).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def factcheck(*args: str, cwd: Path) -> Run:
    """The real entry point in this process, run from `cwd` (config lookup and cache follow it)."""
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(list(args))
            except SystemExit as exc:  # argparse usage errors
                rc = exc.code
    finally:
        os.chdir(before)
    return Run(int(rc), out.getvalue(), err.getvalue())


def codes_of(run: Run) -> list[str]:
    return sorted(f["code"] for f in run.json()["findings"])


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "files, flags, expected",
    [
        pytest.param({**ARTICLES, **SCALE_SLIP}, [], 1, id="errors-found"),
        pytest.param({k: ARTICLES[k] for k in ("a.md", "b.md")}, [], 0, id="only-warnings"),
        pytest.param({k: ARTICLES[k] for k in ("a.md", "b.md")}, ["--fail-on", "warning"], 1, id="warnings-fail-on-warning"),
        pytest.param(ARTICLES, ["--fail-on", "never"], 0, id="fail-on-never"),
        pytest.param({**ARTICLES, "empty.md": ""}, [], 2, id="input-error"),
        pytest.param(ARTICLES, ["--select", "FC999"], 2, id="unknown-code"),
    ],
)
def test_exit_codes_for_every_format(tmp_path, fmt, files, flags, expected):
    articles(tmp_path / "news", files)
    run = factcheck("check", "news", "--nli", "off", "--format", fmt, *flags, cwd=tmp_path)
    assert run.rc == expected, run.err
    assert "Traceback" not in run.out + run.err
    if expected == 2:
        message = [line for line in run.err.splitlines() + run.out.splitlines() if "error" in line]
        assert message and ("empty.md" in run.err + run.out or "FC999" in run.err)


def test_usage_errors_are_one_line(tmp_path):
    articles(tmp_path)
    for flags, needle in [
        (["--severity", "FC103=loud"], "--severity"),
        (["--baseline", "missing.json"], "missing.json"),
        (["--ignore", "XX1"], "XX1"),
    ]:
        run = factcheck("check", ".", "--nli", "off", *flags, cwd=tmp_path)
        assert run.rc == 2
        assert run.out == ""
        assert len(run.err.strip().splitlines()) == 1 and needle in run.err, run.err


# --------------------------------------------------------------------------- codes and severity


def test_select_and_ignore(tmp_path):
    articles(tmp_path)
    assert codes_of(factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path)) == ["FC103", "FC105"]
    only = factcheck("check", ".", "--nli", "off", "--format", "json", "--select", "FC103", cwd=tmp_path)
    assert codes_of(only) == ["FC103"] and only.json()["stats"]["deselected"] == 1
    assert only.rc == 0  # the errors were not selected
    ignored = factcheck("check", ".", "--nli", "off", "--format", "json", "--ignore", "FC105,FC104", cwd=tmp_path)
    assert codes_of(ignored) == ["FC103"]
    prefix = factcheck("check", ".", "--nli", "off", "--format", "json", "--select", "FC10", "--ignore", "FC103", cwd=tmp_path)
    assert codes_of(prefix) == ["FC105"]


def test_severity_override_makes_rounding_fail(tmp_path):
    articles(tmp_path, {k: ARTICLES[k] for k in ("a.md", "b.md")})
    assert factcheck("check", ".", "--nli", "off", cwd=tmp_path).rc == 0
    run = factcheck("check", ".", "--nli", "off", "--format", "json", "--severity", "FC103=error", cwd=tmp_path)
    assert run.rc == 1
    assert [f["severity"] for f in run.json()["findings"]] == ["error"]


# --------------------------------------------------------------------------- drafts


def test_drafts_against_corpus_report_only_draft_findings(tmp_path):
    # The published corpus already disagrees with itself (d vs e); that is not the editor's business.
    articles(tmp_path / "published", {**{k: ARTICLES[k] for k in ("a.md", "c.md")}, **SCALE_SLIP})
    articles(tmp_path / "drafts", {"new.md": ARTICLES["b.md"]})
    run = factcheck("check", "drafts/new.md", "--against", "published", "--nli", "off", "--fail-on", "warning", "--format", "json", cwd=tmp_path)
    report = run.json()
    assert report["stats"]["documents"] == 5
    assert report["findings"], run.err
    for finding in report["findings"]:
        assert any(c["path"] == "drafts/new.md" for c in finding["claims"])
    assert sorted(f["code"] for f in report["findings"]) == ["FC103", "FC105"]
    assert report["stats"]["out_of_scope"] == 1  # d vs e
    assert run.rc == 1


def test_draft_inside_the_corpus_is_still_a_draft(tmp_path):
    articles(tmp_path / "content")
    run = factcheck("check", "content/b.md", "--against", "content", "--nli", "off", "--format", "json", cwd=tmp_path)
    paths = [{c["path"] for c in f["claims"]} for f in run.json()["findings"]]
    assert paths and all("content/b.md" in p for p in paths)


def test_a_clean_draft_passes(tmp_path):
    articles(tmp_path / "published")
    articles(tmp_path / "drafts", {"other.md": FRONT + "Harbour Retail said sales rose 4% in June.\n"})
    run = factcheck("check", "drafts", "--against", "published", "--nli", "off", cwd=tmp_path)
    assert run.rc == 0, run.out
    assert "0 error(s), 0 warning(s)" in run.out and "not touching the drafts" in run.out


# --------------------------------------------------------------------------- finding ids


def test_ids_survive_moving_text_and_change_with_the_sentence(tmp_path):
    articles(tmp_path)
    ids = {f["id"] for f in factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path).json()["findings"]}
    (tmp_path / "a.md").write_text(FRONT + "## Markets\n\nA new first paragraph.\n\n" + ARTICLES["a.md"][len(FRONT) :], encoding="utf-8")
    moved = factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path).json()["findings"]
    assert {c["line"] for f in moved for c in f["claims"] if c["path"] == "a.md"} == {9}
    assert {f["id"] for f in moved} == ids
    (tmp_path / "a.md").write_text(FRONT + "Kestrel Motors shares fell 8.81% on Wednesday after the recall.\n", encoding="utf-8")
    edited = factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path).json()["findings"]
    touching_a = {f["id"] for f in edited if any(c["path"] == "a.md" for c in f["claims"])}
    untouched = {f["id"] for f in edited} - touching_a
    assert touching_a and not touching_a & ids
    assert untouched and untouched <= ids


# --------------------------------------------------------------------------- schema


def test_schema_command_matches_checked_in_copy(tmp_path):
    run = factcheck("schema", cwd=tmp_path)
    assert run.rc == 0
    checked_in = (REPO / "docs" / "report.schema.json").read_text(encoding="utf-8")
    assert run.out == checked_in, "docs/report.schema.json is stale: factcheck schema > docs/report.schema.json"


def test_json_reports_validate_against_the_schema(tmp_path):
    schema = json.loads(factcheck("schema", cwd=tmp_path).out)
    validator = jsonschema.Draft202012Validator(schema)
    articles(tmp_path / "news")
    (tmp_path / "news" / "empty.md").write_text("", encoding="utf-8")
    factcheck("check", "news", "--nli", "off", "--write-baseline", "base.json", "--select", "FC105", cwd=tmp_path)
    (tmp_path / "news" / "c.md").write_text(FRONT + "Kestrel Motors shares rose 12% on Thursday.\n", encoding="utf-8")
    (tmp_path / "news" / "d.md").write_text(
        FRONT + "Kestrel Motors shares fell 7% on Wednesday. <!-- factcheck: ignore -->\n", encoding="utf-8"
    )
    for flags in ([], ["--baseline", "base.json"]):
        run = factcheck("check", "news", "--nli", "off", "--format", "json", *flags, cwd=tmp_path)
        assert run.rc == 2
        validator.validate(run.json())
    stats = run.json()["stats"]
    assert stats["baseline"]["stale"] and stats["suppressed"] >= 1


def test_missing_nli_stage_does_not_break_a_check(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "factcheck.nli", None)  # import now raises ImportError
    articles(tmp_path)
    run = factcheck("check", ".", "--format", "json", "--nli", "auto", "--fail-on", "warning", cwd=tmp_path)
    assert run.rc == 1, run.err
    assert run.json()["stats"]["nli"] is None and "unavailable" in run.json()["stats"]["nli_reason"]
    assert factcheck("check", ".", "--nli", "required", cwd=tmp_path).rc == 2
