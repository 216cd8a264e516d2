"""Bad input: one line naming the file, the right exit code, never a traceback, and the
user's files left as they were."""

from __future__ import annotations

import hashlib
import json
import shutil

from conftest import REPO
from test_acceptance import run_factcheck

GOOD = "---\ndate: 2026-07-01\n---\n\nKestrel Motors shares fell 8.81% on Wednesday.\n"


def _assert_one_line_error(result, needle: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in (result.stderr + result.stdout).splitlines() if needle in line and "error" in line]
    assert lines, (result.stdout, result.stderr)


def test_missing_path(tmp_path):
    missing = tmp_path / "nope.md"
    result = run_factcheck("check", str(missing), "--nli", "off")
    assert result.returncode == 2
    _assert_one_line_error(result, str(missing))


def test_folder_without_articles(tmp_path):
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    result = run_factcheck("check", str(tmp_path), "--nli", "off")
    assert result.returncode == 2
    _assert_one_line_error(result, str(tmp_path))


def test_empty_file_is_reported_and_the_rest_checked(tmp_path):
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = run_factcheck("check", str(tmp_path), "--format", "json", "--nli", "off")
    assert result.returncode == 2
    assert "empty.md" in result.stdout and "empty file" in result.stdout
    assert '"documents": 1' in result.stdout


def test_binary_file(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = run_factcheck("check", str(binary), "--nli", "off")
    assert result.returncode == 2
    _assert_one_line_error(result, "image.txt")


def test_cp1252_text_is_read_with_a_warning(tmp_path):
    article = tmp_path / "old.txt"
    article.write_bytes("Harbour Retail said sales rose 4% to \xa32.5m \u2013 a record.\n".encode("cp1252"))
    before = hashlib.sha256(article.read_bytes()).hexdigest()
    result = run_factcheck("claims", str(article), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "old.txt" in result.stderr and "cp1252" in result.stderr
    claims = json.loads(result.stdout)["claims"]
    assert {"text": "£2.5m", "unit": "GBP", "value": 2.5e6} in [{k: c[k] for k in ("text", "unit", "value")} for c in claims]
    assert hashlib.sha256(article.read_bytes()).hexdigest() == before


def test_malformed_rules_name_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    text = (rules / "metrics.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text) if "kinds: [money]" in t)
    text[line] = text[line].replace("[money]", "[dollars]")
    (rules / "metrics.yaml").write_text("\n".join(text) + "\n", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(GOOD, encoding="utf-8")
    result = run_factcheck("check", str(article), "--rules", str(rules), "--nli", "off")
    assert result.returncode == 2
    _assert_one_line_error(result, f"metrics.yaml:{line + 1}:")


def test_a_metric_named_for_figures_above_the_largest_must_exist(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    text = (rules / "metrics.yaml").read_text(encoding="utf-8")
    assert "above_max: market_value" in text
    (rules / "metrics.yaml").write_text(text.replace("above_max: market_value", "above_max: market_worth", 1), encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(GOOD, encoding="utf-8")
    result = run_factcheck("check", str(article), "--rules", str(rules), "--nli", "off")
    assert result.returncode == 2
    _assert_one_line_error(result, "metrics.yaml")
    assert "'market_worth' is not defined" in result.stdout + result.stderr


def test_broken_yaml_in_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    (rules / "entities.yaml").write_text("entities:\n  - name: Meta\n    aliases: [unclosed\n", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(GOOD, encoding="utf-8")
    result = run_factcheck("check", str(article), "--rules", str(rules), "--nli", "off")
    assert result.returncode == 2
    _assert_one_line_error(result, "entities.yaml:")


def test_bad_date_flag_is_a_usage_error(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(GOOD, encoding="utf-8")
    result = run_factcheck("check", str(article), "--date", "July 1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "YYYY-MM-DD" in result.stderr
