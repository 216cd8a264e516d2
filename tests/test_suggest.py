"""Which figure is wrong and what to write instead (factcheck/suggest.py), on articles of our
own run through the real command line: the JSON `suggestion`, the text `help:` line, the
SARIF fix only where certain, the HTML card; two sources get no guess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import factcheck
from conftest import SHARED
from factcheck.suggest import restyle

FRONT = "---\ndate: 2026-07-01\n---\n\n"
REVENUE = {
    "odd.md": "Kestrel Motors reported first-quarter revenue of $11.2 billion on Wednesday, ahead of forecasts.",
    "wire.md": "Kestrel Motors said on Wednesday that revenue in the first quarter was $12.9 billion.",
    "daily.md": "Kestrel Motors posted first-quarter revenue of $12.9 billion on Wednesday as demand held up.",
    "weekly.md": "Revenue at Kestrel Motors reached $12.9 billion in the first quarter, the carmaker said on Wednesday.",
}
# The odd article rounds to one decimal where the others give two, or one: its correction
# is rounded to its own precision, so it is no certain fix.
PREMIUM = {
    "odd.md": "Calder Mining's offer of $41 a share is a 5.6% premium to Tarrant Quill's closing price on Tuesday.",
    "desk.md": "The $41-a-share bid values Tarrant Quill at a 6.57% premium to its Tuesday close, Calder Mining said.",
    "note.md": "Calder Mining's $41 cash offer represents a 6.6% premium to Tarrant Quill's close on Tuesday.",
}
STYLES = {
    "odd.md": "Halvard Foods said on Wednesday that net profit for the first half rose to €581m.",
    "b.md": "Halvard Foods reported first-half net profit of €518 million on Wednesday.",
    "c.md": "Net profit at Halvard Foods came to €518 million in the first half, it said on Wednesday.",
}
DIRECTION = {
    "odd.md": "Orsted Shipping shares rose 3.1% on Wednesday as investors shrugged off a profit warning.",
    "b.md": "Orsted Shipping shares fell 3.1% on Wednesday after a profit warning.",
    "c.md": "Orsted Shipping stock dropped 3.1% on Wednesday following its profit warning.",
}
SCALE = {
    "odd.md": "Brantley Retail reported quarterly revenue of $11.2 million on Wednesday.",
    "b.md": "Brantley Retail said on Wednesday that quarterly revenue was $11.2 billion.",
    "c.md": "Quarterly revenue at Brantley Retail reached $11.2 billion, it said on Wednesday.",
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(FRONT + text + "\n", encoding="utf-8")
    return folder


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _findings(folder: Path) -> list[dict]:
    run = _cli("check", ".", "--nli", "off", "--no-cache", "--format", "json", cwd=folder)
    assert run.returncode in (0, 1) and not run.stderr, run.stderr
    return json.loads(run.stdout)["findings"]


def test_three_of_four_name_the_odd_figure_and_its_correction(tmp_path):
    folder = _write(tmp_path / "news", REVENUE)
    findings = _findings(folder)
    # one quantity, one finding: the two figures in conflict, and the copies of the one three agree on
    assert len(findings) == 1 and findings[0]["suggestion"] is not None
    assert sorted(c["text"] for c in findings[0]["claims"]) == ["$11.2 billion", "$12.9 billion"]
    mentions = findings[0]["claims"] + findings[0]["restated"]
    assert sorted(c["path"] for c in mentions) == ["daily.md", "odd.md", "weekly.md", "wire.md"]
    s = findings[0]["suggestion"]
    assert s["figure"] == {"path": "odd.md", "line": 5, "column": 1, "text": "$11.2 billion"}
    assert s["replacement"] == "$12.9 billion"
    assert (s["agreeing"], s["articles"]) == (3, 4)
    assert sorted(r["path"] for r in s["sources"]) == ["daily.md", "weekly.md", "wire.md"]
    assert s["text"] == "odd.md:5: $11.2 billion; 3 of 4 sources say $12.9 billion: write “$12.9 billion”"
    # Certain: the same unit, the others identical as written, the place checked in the file.
    line = (folder / "odd.md").read_text(encoding="utf-8").splitlines()[4]
    fix = s["fix"]
    assert line[fix["column"] - 1 : fix["end_column"] - 1] == "$11.2 billion"

    text = _cli("check", ".", "--nli", "off", "--no-cache", cwd=folder).stdout
    assert text.count("\n  help: odd.md:5: $11.2 billion; 3 of 4 sources say $12.9 billion: write “$12.9 billion”\n") == 1
    concise = _cli("check", ".", "--nli", "off", "--no-cache", "--format", "concise", cwd=folder).stdout
    assert "; help: odd.md:5: $11.2 billion; 3 of 4 sources say $12.9 billion" in concise.splitlines()[0]


def test_sarif_offers_a_fix_only_where_the_replacement_is_certain(tmp_path):
    certain = _cli("check", ".", "--nli", "off", "--no-cache", "--format", "sarif", cwd=_write(tmp_path / "a", REVENUE))
    results = json.loads(certain.stdout)["runs"][0]["results"]
    assert results and all("fixes" in r for r in results)
    change = results[0]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "odd.md"
    assert change["replacements"][0]["insertedContent"]["text"] == "$12.9 billion"
    assert change["replacements"][0]["deletedRegion"] == {"startLine": 5, "startColumn": 50, "endLine": 5, "endColumn": 63}
    schema = SHARED / "eval" / "sarif" / "sarif-schema-2.1.0.json"
    if schema.exists():
        jsonschema.Draft4Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(json.loads(certain.stdout))

    rounded = _cli("check", ".", "--nli", "off", "--no-cache", "--format", "sarif", cwd=_write(tmp_path / "b", PREMIUM))
    results = json.loads(rounded.stdout)["runs"][0]["results"]
    helped = [r for r in results if "suggestion" in r["properties"]]
    assert helped and not any("fixes" in r for r in results)
    assert helped[0]["properties"]["suggestion"]["replacement"] == "6.6%"  # 6.57% at the odd article's precision
    assert "Help: odd.md:5: 5.6%; 2 of 3 sources say 6.57%: write “6.6%”." in helped[0]["message"]["text"]


def test_the_correction_keeps_the_articles_style(tmp_path):
    styles = _findings(_write(tmp_path / "styles", STYLES))
    assert {f["suggestion"]["replacement"] for f in styles} == {"€518m"}  # its "m", not the others' "million"
    scale = _findings(_write(tmp_path / "scale", SCALE))
    assert {f["suggestion"]["replacement"] for f in scale} == {"$11.2 billion"}


def test_a_direction_is_named_but_not_rewritten(tmp_path):
    findings = _findings(_write(tmp_path / "moves", DIRECTION))
    helped = [f["suggestion"] for f in findings if f["suggestion"]]
    assert helped and all(s["replacement"] is None and s["fix"] is None for s in helped)
    assert helped[0]["text"] == "odd.md:5: up 3.1%; 2 of 3 sources say down 3.1%"


def test_two_sources_get_no_guess(tmp_path):
    folder = _write(tmp_path / "pair", {k: REVENUE[k] for k in ("odd.md", "wire.md")})
    findings = _findings(folder)
    assert len(findings) == 1 and findings[0]["suggestion"] is None
    assert "$11.2 billion vs $12.9 billion" in findings[0]["message"]  # both shown, neither chosen
    assert "help:" not in _cli("check", ".", "--nli", "off", "--no-cache", cwd=folder).stdout


def test_the_html_card_shows_the_suggestion(tmp_path):
    folder = _write(tmp_path / "news", REVENUE)
    run = _cli("check", ".", "--nli", "off", "--no-cache", "--format", "html", "-o", "report.html", cwd=folder)
    assert run.returncode == 1, run.stderr
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.count('<div class="help">') == 1
    assert '<b class="replacement">$12.9 billion</b> for <q>$11.2 billion</q> in <code>odd.md:5</code>' in page


@pytest.mark.parametrize(
    "sentence, figure, value, step, written",
    [
        # A rate: the others' "$1.25 billion a year" is $104.17 million a month, written to
        # the decimal the others' precision allows.
        ("Norvane will pay $47.55 million a month for the campus.", "$47.55 million a month", 1.25e9 / 12, 0.01e9 / 12, "$104.2 million a month"),
        ("Rates rose 25 basis points on Wednesday.", "25 basis points", 0.5, 0.01, "50 basis points"),
        ("The lender cut 2,400 jobs in March.", "2,400", 12_500, 100, "12,500"),
        ("Orrin Bank earned $1.2bn in the quarter.", "$1.2bn", 850e6, 10e6, "$850m"),
    ],
)
def test_restyle_writes_a_value_as_the_article_writes_its_figure(sentence, figure, value, step, written):
    claims = factcheck.claims([factcheck.Article(text=FRONT + sentence + "\n", name="a.md")], settings=factcheck.Settings(cache=False))
    claim = next(c for c in claims if c.text == figure)
    assert restyle(claim, value, step) == written
