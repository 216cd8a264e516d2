"""`--format html`: the markup from Python, then the page in a real headless Chromium.

The browser tests drive Debian's chromium through its chromedriver with selenium. Where
they are not installed the browser tests skip with the reason, unless the CI variable is
set: `.ci/run` installs them and sets it, so there a missing browser fails the run.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RUNNING_IN_CI
from factcheck.cli import main
from factcheck.models import Claim, Finding, Report, ReportStats, ToolInfo
from factcheck.report.html import figure_span, group_findings, render_html, render_run, split_sentence

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

HOSTILE = """\
---
title: "Kestrel results <script>window.__pwned = 'title'</script>"
published: 2026-05-01
---
# Kestrel Motors quarter <img src=x onerror="window.__pwned='heading'">

Kestrel Motors reported revenue of $5.2 billion in the first quarter of 2026 `<img src=x onerror="window.__pwned='img'">` and `</textarea><script>window.__pwned='script'</script>` more, see [details](javascript:window.__pwned='link').
"""
# (The body's markup is in code spans, which CommonMark shows as written, so it reaches the
# report as text; a bare tag in Markdown is markup and ingest leaves it out.)
PLAIN = """\
---
published: 2026-05-02
---
# Kestrel quarter

Kestrel Motors reported revenue of $6.8 billion in the first quarter of 2026, the company said.
"""


def _check(*args: str) -> tuple[int, str]:
    """The CLI in this process; returns (exit status, stdout)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", *args, "--nli", "off", "--no-cache"])
    return status, out.getvalue()


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The corpus report as an HTML file, and the findings it should show (from --format json)."""
    path = tmp_path_factory.mktemp("html") / "report.html"
    status, _ = _check(str(CORPUS), "--format", "html", "--output-file", str(path))
    assert status == 1
    _, text = _check(str(CORPUS), "--format", "json")
    return path, json.loads(text)["findings"]


@pytest.fixture
def hostile_report(tmp_path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    (articles / "plain.md").write_text(PLAIN, encoding="utf-8")
    path = tmp_path / "report.html"
    status, _ = _check(str(articles), "--format", "html", "--output-file", str(path))
    assert status == 1, "the planted conflict should be found, so the hostile sentence is on the page"
    return path


# --------------------------------------------------------------------------- markup


def _claim(path: str, text: str, sentence: str, line: int = 1) -> Claim:
    return Claim(path=path, line=line, column=1, sentence=sentence, text=text, value=1.0, unit="USD", kind="money")


def _finding(id: str, *claims: Claim, severity: str = "error") -> Finding:
    return Finding(id=id, code="FC102", kind="value_conflict", severity=severity, subject="S", metric="revenue", message="m", claims=list(claims))


def test_figure_span_finds_the_mention_and_tolerates_folded_whitespace():
    claim = _claim("a.md", "$5.7 billion a year", "Norvane will pay $5.7  billion a year for the site.")
    assert figure_span(claim) == (17, 37)
    assert figure_span(_claim("a.md", "12%", "It fell 12% and then 12% again."), start=11) == (21, 24)
    assert figure_span(_claim("a.md", "9%", "No such figure here.")) is None


def test_split_sentence_marks_spans_and_keeps_every_character():
    pieces = split_sentence("up 3% and down 4% today", [(3, 5, 0), (15, 17, 1), (4, 6, 2)])
    assert "".join(p.text for p in pieces) == "up 3% and down 4% today"
    assert [(p.text, p.mark) for p in pieces if p.mark is not None] == [("3%", 0), ("4%", 1)]


def test_findings_sharing_a_claim_are_grouped_in_report_order():
    a, b, c, d = (_claim(f"{n}.md", "$1", f"{n} said $1.") for n in "abcd")
    findings = [_finding("f1", a, b), _finding("f2", c, d), _finding("f3", b, c, severity="warning"), _finding("f4", d)]
    other = _finding("f5", _claim("e.md", "$1", "e said $1."), _claim("f.md", "$1", "f said $1."))
    groups = group_findings([*findings, other])
    assert [[f.id for f in g] for g in groups] == [["f1", "f2", "f3", "f4"], ["f5"]]


def test_python_api_renders_without_documents_and_escapes_claim_text():
    evil = _claim("x.md", "$1", 'Revenue was $1 <script>alert("x")</script> <b onmouseover=alert(1)>bold</b>.')
    stats = ReportStats(documents=2, claims=2, aligned_claims=2, pairs_compared=1, findings=1, error=1, warning=0, info=0, nli=None)
    report = Report(tool=ToolInfo(version="0"), findings=[_finding("f1", evil, _claim("y.md", "$2", "Revenue was $2."))], stats=stats)
    page = render_html(report)
    assert '<article class="card sev-error" id="f-f1"' in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<b onmouseover" not in page and 'id="articles"' not in page
    assert page.count("<script") == 1


def test_corpus_page_is_self_contained_with_one_card_per_finding(corpus_report):
    path, findings = corpus_report
    page = path.read_text(encoding="utf-8")
    assert page.count('<article class="card ') == len(findings) > 0
    for finding in findings:
        assert f'id="f-{finding["id"]}"' in page
    # Nothing is fetched: no external URL in any src/href, and the CSP forbids it anyway.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "default-src 'none'" in page
    assert page.count("<script") == 1 and "<link rel=\"stylesheet\"" not in page


def test_cli_writes_the_html_file_and_nothing_to_stdout(tmp_path):
    target = tmp_path / "out.html"
    status, stdout = _check(str(CORPUS / "ecb-cuts-rates.md"), str(CORPUS / "ecb-decision-wire.txt"), "--format", "html", "--output-file", str(target))
    assert stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert status in (0, 1)


def test_against_shows_the_draft_first(tmp_path):
    target = tmp_path / "out.html"
    draft = CORPUS / "skarvik-takeover-analysis.md"
    _check(str(draft), "--against", str(CORPUS), "--format", "html", "--output-file", str(target))
    page = target.read_text(encoding="utf-8")
    first = re.search(r'<article class="article" data-path="([^"]+)"', page)
    assert first is not None and first.group(1) == str(draft)
    assert '<span class="tag">draft</span>' in page.split('<article class="article"')[1]


def test_run_settings_name_the_rules_and_why_there_is_no_nli(corpus_report):
    page = corpus_report[0].read_text(encoding="utf-8")
    assert "built-in rules/" in page
    assert "none: disabled (--nli off)" in page


def test_report_from_the_python_api_renders_its_own_articles_and_keeps_them_out_of_json():
    import factcheck

    draft = "---\npublished: 2026-07-02\n---\n\nKestrel Motors reported first-quarter revenue of $14.6 billion.\n"
    report = factcheck.check(
        [factcheck.Article(text=draft, name="draft.md")], against=[CORPUS], settings=factcheck.Settings(nli="off", cache=False)
    )
    assert report.findings and report.run is not None
    page = render_run(report)
    first = re.search(r'<article class="article" data-path="([^"]+)"', page)
    assert first is not None and first.group(1) == "draft.md"
    assert "NLI mode" in page and "none: disabled (--nli off)" in page
    assert "off (--nli auto --nli-model PATH turns NLI on)" in page  # the default, and how to change it
    # The article text rides beside the report, never inside what --format json writes.
    wire = report.model_dump_json()
    quoted = {c.sentence for f in report.findings for c in f.claims}
    other = next(
        s.text for d in report.run.documents for s in d.sentences if s.text not in quoted and len(s.text) > 40 and s.text.isascii() and not set(s.text) & set("&<>'\"")
    )
    assert other in page and other not in wire and '"run"' not in wire


# --------------------------------------------------------------------------- browser


def _browser_tools() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


@pytest.fixture(scope="module")
def browser():
    tools = _browser_tools()
    if tools is None:
        why = "chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)"
        if RUNNING_IN_CI:
            pytest.fail(f"{why}; CI must run the browser tests")
        pytest.skip(f"{why}; set CI=1 to make this a failure")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = tools[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(tools[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser, path: Path) -> None:
    browser.get(path.as_uri())
    browser.get_log("browser")  # start each page with an empty console


def _click(browser, element) -> None:
    """Click as a reader would: scrolled into the middle of the window, clear of the sticky filters."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    # The previous click may still be laying the page out (a tab switched, a card opened):
    # on a loaded machine the element is briefly not interactable, which a reader never sees.
    WebDriverWait(browser, 10).until(expected_conditions.element_to_be_clickable(element))
    element.click()


def _visible_cards(browser) -> list:
    return [c for c in browser.find_elements("css selector", ".card") if c.is_displayed()]


def _console_errors(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_browser_corpus_page_loads_clean_with_one_card_per_finding(browser, corpus_report):
    path, findings = corpus_report
    browser.get(path.as_uri())
    assert _console_errors(browser) == []
    assert len(_visible_cards(browser)) == len(findings)
    assert browser.find_element("id", "shown").text == f"Showing all {len(findings)} findings"


def test_browser_filters_change_what_is_visible(browser, corpus_report):
    path, findings = corpus_report
    _open(browser, path)
    by = lambda key, value: sum(1 for f in findings if f[key] == value)  # noqa: E731

    browser.find_element("css selector", 'input[name="severity"][value="error"]').click()
    assert len(_visible_cards(browser)) == len(findings) - by("severity", "error")
    assert all(c.get_attribute("data-severity") != "error" for c in _visible_cards(browser))

    browser.find_element("css selector", ".more > summary").click()  # code and article filters are folded
    browser.find_element("css selector", 'button[type="reset"]').click()
    browser.find_element("css selector", 'input[name="code"][value="FC101"]').click()
    assert len(_visible_cards(browser)) == len(findings) - by("code", "FC101")

    browser.find_element("css selector", 'button[type="reset"]').click()
    from selenium.webdriver.support.ui import Select

    article = "corpus/seoul-chip-rout.txt"
    expected = sum(1 for f in findings if any(c["path"].endswith("seoul-chip-rout.txt") for c in f["claims"]))
    option = next(o for o in Select(browser.find_element("id", "f-article")).options if o.get_attribute("value").endswith(article))
    Select(browser.find_element("id", "f-article")).select_by_value(option.get_attribute("value"))
    assert 0 < len(_visible_cards(browser)) == expected < len(findings)

    browser.find_element("css selector", 'button[type="reset"]').click()
    browser.find_element("id", "f-search").send_keys("Daejin")
    expected = sum(1 for f in findings if f["subject"] == "Daejin Memory" or any("Daejin" in c["sentence"] for c in f["claims"]))
    assert 0 < len(_visible_cards(browser)) <= expected < len(findings)
    browser.find_element("id", "f-search").send_keys(" nosuchwordanywhere")
    assert _visible_cards(browser) == []
    assert browser.find_element("id", "shown").text == f"Showing 0 of {len(findings)} findings"
    assert _console_errors(browser) == []


def test_browser_clicking_a_highlight_reveals_its_finding(browser, corpus_report):
    path, findings = corpus_report
    _open(browser, path)
    browser.find_element("id", "tab-articles").click()
    assert browser.find_element("id", "articles").is_displayed()
    assert not browser.find_element("id", "findings").is_displayed()

    mark = browser.find_element("css selector", "button.hl")
    detail = browser.find_element("id", mark.get_attribute("aria-controls"))
    assert not detail.is_displayed()
    mark.click()
    assert detail.is_displayed() and mark.get_attribute("aria-expanded") == "true"
    finding_id = mark.get_attribute("data-findings").split()[0]
    finding = next(f for f in findings if f["id"] == finding_id)
    assert finding["message"] in detail.text and finding["code"] in detail.text

    # The link to the other article's sentence lands on that sentence, in view.
    link = detail.find_element("css selector", 'a[href^="#s-"]')
    target = link.get_attribute("href").split("#")[1]
    _click(browser, link)
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert browser.find_element("id", target).is_displayed()

    # ...and the card link switches back to the findings view.
    _click(browser, detail.find_element("css selector", 'a[href^="#f-"]'))
    assert browser.find_element("id", f"f-{finding_id}").is_displayed()
    assert not browser.find_element("id", "articles").is_displayed()
    assert _console_errors(browser) == []


def test_browser_highlights_are_keyboard_reachable(browser, corpus_report):
    from selenium.webdriver.common.keys import Keys

    _open(browser, corpus_report[0])
    tab = browser.find_element("id", "tab-findings")
    tab.send_keys(Keys.ARROW_RIGHT)  # tabs move with the arrow keys
    assert browser.switch_to.active_element.get_attribute("id") == "tab-articles"
    assert browser.find_element("id", "articles").is_displayed()
    mark = browser.find_element("css selector", "button.hl")
    browser.execute_script("arguments[0].focus()", mark)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.find_element("id", mark.get_attribute("aria-controls")).is_displayed()
    # Severity is in words too, not in colour alone.
    assert re.search(r"\((error|warning|info), \d+ findings?\)", mark.get_attribute("textContent"))


def test_browser_print_shows_both_views_and_hides_controls(browser, corpus_report):
    _open(browser, corpus_report[0])
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.find_element("id", "articles").is_displayed()
        assert browser.find_element("id", "findings").is_displayed()
        assert not browser.find_element("id", "filters").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_browser_hostile_article_renders_as_text_and_runs_nothing(browser, hostile_report):
    _open(browser, hostile_report)
    from selenium.common.exceptions import NoAlertPresentException

    def nothing_ran() -> None:
        assert browser.execute_script("return window.__pwned === undefined")
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018
        assert browser.find_elements("css selector", "main img, main textarea, main script") == []
        assert browser.find_elements("css selector", 'a[href^="javascript:"]') == []
        assert len(browser.find_elements("tag name", "script")) == 1

    nothing_ran()
    body = browser.find_element("tag name", "body").text
    assert "</textarea><script>window.__pwned='script'</script>" in body
    assert "onerror=\"window.__pwned='img'\"" in body
    browser.find_element("id", "tab-articles").click()
    articles = browser.find_element("id", "articles").text
    assert "[details](javascript:window.__pwned='link')" in articles
    assert "Kestrel results <script>window.__pwned = 'title'</script>" in articles
    for mark in browser.find_elements("css selector", "button.hl"):
        _click(browser, mark)
    # A link to a finding switches view when the hash changes, which the browser does after
    # the click returns: each link is clicked from the articles view, and the jump waited for.
    from selenium.webdriver.support.wait import WebDriverWait

    for i in range(len(browser.find_elements("css selector", "#articles a"))):
        browser.find_element("id", "tab-articles").click()
        link = browser.find_elements("css selector", "#articles a")[i]
        if not link.is_displayed():
            continue
        href = link.get_attribute("href") or ""
        _click(browser, link)
        if "#" in href:
            WebDriverWait(browser, 10).until(lambda b: b.execute_script("return location.href") == href)
    nothing_ran()
    assert _console_errors(browser) == []


def test_browser_screenshot_of_the_corpus_report(browser, corpus_report, tmp_path):
    _open(browser, corpus_report[0])
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == tuple(browser.execute_script("return [window.innerWidth, window.innerHeight]"))
    # A blank page compresses to a few kilobytes; the rendered report cannot.
    assert len(data) > 50_000


def test_screenshot_script_writes_a_png(tmp_path):
    if _browser_tools() is None and not RUNNING_IN_CI:
        pytest.skip("chromium and chromedriver are not installed")
    out = tmp_path / "shot.png"
    subprocess.run([sys.executable, str(REPO / "bench" / "html_screenshot.py"), "--output", str(out)], check=True, cwd=REPO, timeout=300)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("width, height, phone", [(1366, 768, False), (390, 844, True)])
def test_browser_first_finding_is_on_the_first_screen(browser, corpus_report, width, height, phone):
    """An editor opening the page sees a finding, not the run's settings: they are folded,
    and the filter bar above the findings is one slim row (two on a phone)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": phone})
    try:
        _open(browser, corpus_report[0])
        assert browser.execute_script("return [innerWidth, innerHeight]") == [width, height]
        assert browser.find_element("id", "run").get_attribute("open") is None  # settings folded away
        card = browser.find_element("css selector", ".card")
        top, message_bottom = browser.execute_script(
            "var c = arguments[0]; return [c.getBoundingClientRect().top, c.querySelector('.message').getBoundingClientRect().bottom]", card
        )
        assert 0 <= top and message_bottom <= height, (top, message_bottom)  # its header and reason are in view
        bar = browser.find_element("id", "filters").size["height"]
        assert bar <= (100 if phone else 50), bar
        # Scrolled down, the sticky bar still leaves most of the screen to the findings.
        browser.execute_script("window.scrollTo(0, 2000)")
        assert browser.execute_script("return document.getElementById('filters').getBoundingClientRect().top") == 0
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_browser_counter_follows_the_filters(browser, corpus_report):
    path, findings = corpus_report
    _open(browser, path)
    errors = sum(1 for f in findings if f["severity"] == "error")
    browser.find_element("css selector", 'input[name="severity"][value="error"]').click()
    shown = len(findings) - errors
    assert browser.find_element("id", "shown").text == f"Showing {shown} of {len(findings)} findings"
    assert browser.find_element("id", "tab-count").text == f"{shown}/{len(findings)}"
    browser.find_element("css selector", 'input[name="severity"][value="error"]').click()
    assert browser.find_element("id", "shown").text == f"Showing all {len(findings)} findings"
    assert browser.find_element("id", "tab-count").text == str(len(findings))
