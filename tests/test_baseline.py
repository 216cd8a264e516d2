"""--write-baseline / --baseline: existing findings hidden, new ones reported, entries that
no longer occur listed as stale."""

from __future__ import annotations

import json

from test_cli_check import ARTICLES, FRONT, SCALE_SLIP, articles, factcheck


def _ids(run) -> list[str]:
    return [f["id"] for f in run.json()["findings"]]


def test_write_then_use_a_baseline(tmp_path):
    articles(tmp_path / "news")
    written = factcheck("check", "news", "--nli", "off", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.rc == 0 and "wrote 2 finding(s)" in written.err
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["factcheck_baseline"] == 1 and len(data["findings"]) == 2
    assert all(p.startswith("news/") for e in data["findings"] for p in e["paths"])

    run = factcheck("check", "news", "--nli", "off", "--format", "json", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.rc == 0 and run.json()["findings"] == []
    assert run.json()["stats"]["baseline"] == {"path": "baseline.json", "hidden": 2, "stale": []}


def test_only_new_findings_are_reported(tmp_path):
    articles(tmp_path / "news")
    factcheck("check", "news", "--nli", "off", "--write-baseline", "baseline.json", cwd=tmp_path)
    articles(tmp_path / "news", SCALE_SLIP)  # d.md and e.md: a quantity of their own
    run = factcheck("check", "news", "--nli", "off", "--fail-on", "warning", "--format", "json", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.rc == 1
    findings = run.json()["findings"]
    assert findings and all(any(c["path"] in ("news/d.md", "news/e.md") for c in f["claims"]) for f in findings)
    assert run.json()["stats"]["baseline"]["hidden"] == 2


def test_stale_entries_are_listed(tmp_path):
    articles(tmp_path / "news")
    factcheck("check", "news", "--nli", "off", "--write-baseline", "baseline.json", cwd=tmp_path)
    # c.md now agrees with b.md: its direction conflict is gone.
    (tmp_path / "news" / "c.md").write_text(FRONT + "Borealis Bank shares rose 4% on Wednesday, the bank said.\n", encoding="utf-8")
    run = factcheck("check", "news", "--nli", "off", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.rc == 0
    assert "1 stale baseline entry in baseline.json" in run.out
    assert sum(line.startswith("  FC105-") and "news/c.md" in line for line in run.out.splitlines()) == 1
    stale = factcheck("check", "news", "--nli", "off", "--format", "json", "--baseline", "baseline.json", cwd=tmp_path).json()
    assert [e["code"] for e in stale["stats"]["baseline"]["stale"]] == ["FC105"]


def test_checking_part_of_the_tree_declares_nothing_stale(tmp_path):
    articles(tmp_path / "news")
    articles(tmp_path / "other", {"x.md": ARTICLES["a.md"], "y.md": ARTICLES["c.md"]})
    factcheck("check", "news", "other", "--nli", "off", "--write-baseline", "baseline.json", cwd=tmp_path)
    run = factcheck("check", "news", "--nli", "off", "--format", "json", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.json()["stats"]["baseline"]["stale"] == []
    flags = ("--nli", "off", "--format", "json", "--select", "FC103", "--baseline", "baseline.json")
    selected = factcheck("check", "news", "other", *flags, cwd=tmp_path)
    assert selected.json()["stats"]["baseline"]["stale"] == []


def test_baseline_works_from_any_folder_and_after_text_moves(tmp_path):
    articles(tmp_path / "site" / "news")
    factcheck("check", ".", "--nli", "off", "--write-baseline", "baseline.json", cwd=tmp_path / "site")
    (tmp_path / "site" / "news" / "a.md").write_text(FRONT + "\n\n## Markets\n\n" + ARTICLES["a.md"][len(FRONT) :], encoding="utf-8")
    for cwd, target, baseline in [
        (tmp_path / "site", "news", "baseline.json"),
        (tmp_path / "site", "./news/", "baseline.json"),
        (tmp_path / "site" / "news", ".", "../baseline.json"),
        (tmp_path, "site/news", "site/baseline.json"),
    ]:
        run = factcheck("check", target, "--nli", "off", "--format", "json", "--baseline", baseline, cwd=cwd)
        assert run.rc == 0 and run.json()["findings"] == [], (cwd, target, run.out)


def test_a_sentence_repeated_in_an_article_adds_no_finding_past_the_baseline(tmp_path):
    # A figure has one partner per other article (link.mutual_best): the copy of b.md's
    # sentence restates the figure already linked, so the baseline's one entry still covers the run.
    articles(tmp_path, {k: ARTICLES[k] for k in ("a.md", "b.md")})
    factcheck("check", ".", "--nli", "off", "--write-baseline", "baseline.json", cwd=tmp_path)
    sentence = ARTICLES["b.md"][len(FRONT) :]
    (tmp_path / "b.md").write_text(FRONT + sentence + "\nMore text here.\n\n" + sentence, encoding="utf-8")
    run = factcheck("check", ".", "--nli", "off", "--format", "json", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.json()["findings"] == [] and run.json()["stats"]["baseline"]["hidden"] == 1


def test_baseline_in_config_and_bad_baselines(tmp_path):
    articles(tmp_path)
    factcheck("check", ".", "--nli", "off", "--write-baseline", "fc-baseline.json", cwd=tmp_path)
    (tmp_path / ".factcheck.toml").write_text('baseline = "fc-baseline.json"\nnli = "off"\n', encoding="utf-8")
    assert factcheck("check", ".", cwd=tmp_path).rc == 0
    (tmp_path / "fc-baseline.json").write_text("{not json", encoding="utf-8")
    run = factcheck("check", ".", cwd=tmp_path)
    assert run.rc == 2 and "fc-baseline.json" in run.err and len(run.err.strip().splitlines()) == 1
    (tmp_path / "fc-baseline.json").write_text('{"findings": []}', encoding="utf-8")
    run = factcheck("check", ".", cwd=tmp_path)
    assert run.rc == 2 and "not a factcheck baseline" in run.err
