"""Inline suppression in markdown, HTML and text files, counted in stats."""

from __future__ import annotations

import pytest

from test_cli_check import ARTICLES, FRONT, articles, factcheck

A_SENTENCE = "Kestrel Motors shares fell 8.81% on Wednesday."


def _check(tmp_path, a_text: str, name: str = "a.md"):
    articles(tmp_path, {name: a_text, "b.md": ARTICLES["b.md"], "c.md": ARTICLES["c.md"]})
    run = factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path)
    report = run.json()
    touching = sorted(f["code"] for f in report["findings"] if any(c["path"] == name for c in f["claims"]))
    return touching, report["stats"]["suppressed"], run


# a.md's figure and b.md's are one quantity, a rounding difference (FC103); c.md's figure
# is another company's, in a finding of its own with b.md.
@pytest.mark.parametrize(
    "text, left, suppressed",
    [
        pytest.param(FRONT + A_SENTENCE + "\n", ["FC103"], 0, id="none"),
        pytest.param(FRONT + A_SENTENCE + " <!-- factcheck: ignore FC103 -->\n", [], 1, id="same-line"),
        pytest.param(FRONT + "<!-- factcheck: ignore FC103 -->\n" + A_SENTENCE + "\n", [], 1, id="line-above"),
        pytest.param(FRONT + "<!-- factcheck: ignore FC105, FC103 -->\n" + A_SENTENCE + "\n", [], 1, id="two-codes"),
        pytest.param(FRONT + A_SENTENCE + " <!-- factcheck: ignore -->\n", [], 1, id="all-codes"),
        pytest.param(FRONT + "<!-- factcheck: ignore FC101 -->\n" + A_SENTENCE + "\n", ["FC103"], 0, id="other-code"),
        pytest.param(
            FRONT + "<!-- factcheck: ignore FC103 -->\n\nUnrelated line.\n\n" + A_SENTENCE + "\n", ["FC103"], 0, id="too-far"
        ),
        pytest.param(FRONT + "<!-- factcheck: ignore-file -->\n\n" + A_SENTENCE + "\n", [], 1, id="ignore-file"),
        pytest.param(FRONT + "<!-- factcheck: off -->\n\n" + A_SENTENCE + "\n\n<!-- factcheck: on -->\n", [], 1, id="off-on"),
        pytest.param(
            FRONT + "<!-- factcheck: off -->\nOld text.\n<!-- factcheck: on -->\n\n" + A_SENTENCE + "\n", ["FC103"], 0, id="after-on"
        ),
    ],
)
def test_markdown_comments(tmp_path, text, left, suppressed):
    touching, count, _ = _check(tmp_path, text)
    assert touching == left
    assert count == suppressed


def test_html_comment(tmp_path):
    page = (
        "<html><head><meta name='date' content='2026-07-01'></head><body>\n"
        "<!-- factcheck: ignore FC103 -->\n"
        f"<p>{A_SENTENCE}</p>\n"
        "</body></html>\n"
    )
    touching, count, _ = _check(tmp_path, page, name="a.html")
    assert touching == [] and count == 1


def test_suppression_in_either_article_silences_the_finding(tmp_path):
    b_text = FRONT + "<!-- factcheck: ignore FC103 -->\nKestrel Motors shares fell 9% on Wednesday.\n"
    articles(tmp_path, {"a.md": ARTICLES["a.md"], "b.md": b_text})
    run = factcheck("check", ".", "--nli", "off", "--format", "json", cwd=tmp_path)
    assert run.json()["findings"] == [] and run.json()["stats"]["suppressed"] == 1
    text = factcheck("check", ".", "--nli", "off", cwd=tmp_path)
    assert "not shown: 1 suppressed inline" in text.out


def test_unknown_code_in_a_comment_is_warned_about(tmp_path):
    _, _, run = _check(tmp_path, FRONT + A_SENTENCE + " <!-- factcheck: ignore FC13 -->\n")
    assert "a.md:5: factcheck comment names unknown code 'FC13'" in run.err
