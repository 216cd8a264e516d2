"""Configuration files: found by walking up, overridden by flags, shown by `factcheck
config` with where each value came from; unknown keys and bad values name file and key."""

from __future__ import annotations

import json

import pytest

from test_cli_check import ARTICLES, articles, factcheck

PAIR = {k: ARTICLES[k] for k in ("a.md", "b.md")}  # one FC103 warning


def test_pyproject_found_from_a_subfolder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n\n[tool.factcheck]\nformat = "json"\nnli = "off"\n', encoding="utf-8")
    articles(tmp_path / "content" / "2026", PAIR)
    run = factcheck("check", ".", cwd=tmp_path / "content")
    assert run.rc == 0, run.err
    assert json.loads(run.out)["stats"]["nli_reason"] == "disabled (--nli off)"


def test_factcheck_toml_beats_pyproject_and_nearer_beats_farther(tmp_path):
    (tmp_path / ".factcheck.toml").write_text('format = "jsonl"\n', encoding="utf-8")
    sub = tmp_path / "site"
    articles(sub, PAIR)
    (sub / "pyproject.toml").write_text('[tool.factcheck]\nformat = "github"\nnli = "off"\n', encoding="utf-8")
    assert factcheck("check", ".", cwd=sub).out.startswith("::warning ")
    (sub / ".factcheck.toml").write_text('format = "json"\nnli = "off"\n', encoding="utf-8")
    assert json.loads(factcheck("check", ".", cwd=sub).out)["findings"]


def test_pyproject_without_a_factcheck_table_is_passed_over(tmp_path):
    (tmp_path / ".factcheck.toml").write_text('fail_on = "warning"\nnli = "off"\n', encoding="utf-8")
    sub = articles(tmp_path / "pkg", PAIR)
    (sub / "pyproject.toml").write_text('[project\nthis is not even valid TOML', encoding="utf-8")
    assert factcheck("check", ".", cwd=sub).rc == 1


def test_flags_override_the_file(tmp_path):
    (tmp_path / ".factcheck.toml").write_text('fail_on = "warning"\nnli = "off"\nformat = "json"\n', encoding="utf-8")
    articles(tmp_path, PAIR)
    assert factcheck("check", ".", cwd=tmp_path).rc == 1
    assert factcheck("check", ".", "--fail-on", "error", cwd=tmp_path).rc == 0
    assert factcheck("check", ".", "--format", "text", cwd=tmp_path).out.rstrip().endswith("pairs compared)")


def test_severity_overrides_and_selection_from_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.factcheck]\nnli = "off"\nformat = "json"\nignore = ["FC105"]\n\n[tool.factcheck.severity]\nFC103 = "error"\n',
        encoding="utf-8",
    )
    articles(tmp_path)
    run = factcheck("check", ".", cwd=tmp_path)
    assert run.rc == 1
    assert [(f["code"], f["severity"]) for f in json.loads(run.out)["findings"]] == [("FC103", "error")]
    assert factcheck("check", ".", "--severity", "FC103=info", cwd=tmp_path).rc == 0


def test_config_command_shows_values_and_sources(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.factcheck]\nfail_on = "warning"\ncache_dir = "build/fc"\ndate = 2026-07-01\n\n[tool.factcheck.severity]\nFC103 = "error"\n',
        encoding="utf-8",
    )
    (tmp_path / "sub").mkdir()
    run = factcheck("config", "--format", "sarif", "--severity", "FC104=info", cwd=tmp_path / "sub")
    assert run.rc == 0, run.err
    lines = {line.split("=")[0].strip(): line for line in run.out.splitlines() if "=" in line}
    where = str(tmp_path / "pyproject.toml")
    assert f"# config file: {where}" in run.out
    assert '"warning"' in lines["fail_on"] and lines["fail_on"].endswith(where)
    assert '"sarif"' in lines["format"] and lines["format"].endswith("command line (--format)")
    assert lines["nli"].endswith("# default; --nli auto --nli-model PATH turns NLI on")
    assert str(tmp_path / "build" / "fc") in lines["cache_dir"]  # relative to the file, not the cwd
    assert "2026-07-01" in lines["date"]
    assert lines["FC103"].endswith(where) and lines["FC104"].endswith("command line (--severity)")


@pytest.mark.parametrize(
    "name, text, needles",
    [
        ("pyproject.toml", "[tool.factcheck]\nfial_on = 'error'\n", ["pyproject.toml", "fial_on"]),
        (".factcheck.toml", "[tool.factcheck]\nformat = 'json'\n", [".factcheck.toml", "'tool'"]),
        (".factcheck.toml", "cache-dir = 'x'\n", [".factcheck.toml", "cache-dir", "cache_dir"]),
        (".factcheck.toml", "format = 'xml'\n", [".factcheck.toml", "format", "sarif"]),
        (".factcheck.toml", "select = ['FC999']\n", [".factcheck.toml", "FC999"]),
        (".factcheck.toml", "[severity]\nFC103 = 'fatal'\n", [".factcheck.toml", "severity.FC103"]),
        (".factcheck.toml", "date = 'yesterday'\n", [".factcheck.toml", "date"]),
        (".factcheck.toml", "nli = 'off'\nformat = \n", [".factcheck.toml:2", "invalid TOML"]),
    ],
)
def test_bad_config_is_a_one_line_usage_error(tmp_path, name, text, needles):
    (tmp_path / name).write_text(text, encoding="utf-8")
    articles(tmp_path, PAIR)
    for command in (["check", "."], ["config"]):
        run = factcheck(*command, cwd=tmp_path)
        assert run.rc == 2
        assert run.out == "" and len(run.err.strip().splitlines()) == 1, run.err
        assert all(n in run.err for n in needles), run.err


def test_explicit_config_file(tmp_path):
    articles(tmp_path, PAIR)
    (tmp_path / "ci.toml").write_text('fail_on = "warning"\nnli = "off"\n', encoding="utf-8")
    assert factcheck("check", ".", "--config", "ci.toml", cwd=tmp_path).rc == 1
    run = factcheck("check", ".", "--config", "nope.toml", cwd=tmp_path)
    assert run.rc == 2 and "nope.toml" in run.err


def test_baseline_and_rules_paths_are_relative_to_the_config_file(tmp_path):
    articles(tmp_path / "content", PAIR)
    (tmp_path / ".factcheck.toml").write_text('baseline = "ci/baseline.json"\nnli = "off"\nfail_on = "warning"\n', encoding="utf-8")
    first = factcheck("check", "content", "--write-baseline", "ci/baseline.json", cwd=tmp_path)
    assert first.rc == 0 and (tmp_path / "ci" / "baseline.json").is_file()
    assert factcheck("check", ".", cwd=tmp_path / "content").rc == 0  # found from the subfolder
