"""Claim fields on sentences of our own, one YAML case each (issue 9).

Cases live in tests/cases/claims/*.yaml, one file per failure class. A case:

    - name: unknown_company_reported_sales
      published: 2026-08-05        # optional publication date (front matter)
      title: "..."                 # optional article title (front matter)
      context: ["..."]             # optional earlier sentences, each its own paragraph
      after: ["..."]               # optional later sentences, each its own paragraph
      same_paragraph: true         # optional: context and sentence form one paragraph
      sentence: "Brightwater Foods on Tuesday reported second-quarter sales of $2.7 billion."
      expect:                      # claims of that sentence, found by their text
        - {text: "$2.7 billion", subject: Brightwater Foods, metric: revenue,
           evidence: {subject: parse}}
      absent:                      # a text: no such claim; a mapping: no claim with all those fields
        - {text: "$2.7 billion", subject: null}
      xfail: "why the tool gets it wrong today"   # strict: the test fails once it passes

Fields of an expectation: any Claim field (value and high compared approximately;
qualifiers as a list; period as null or a mapping of Period fields; evidence as a subset),
plus `qualifiers_include` (those words among the qualifiers), `period_not` (a mapping of
Period fields the period must not have) and `period_not_before` (a date the period must
not start before: a duration ahead is never a past window).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import factcheck
from factcheck import Article, Settings

CASE_DIR = Path(__file__).parent / "cases" / "claims"
SPECIAL = {"text", "index", "qualifiers_include", "period_not", "period_not_before"}


def _load_cases() -> list:
    params = []
    for path in sorted(CASE_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            params.append(pytest.param(case, id=f"{path.stem}:{case['name']}", marks=marks))
    return params


CASES = _load_cases()


def article_text(case: dict) -> str:
    meta = [f"{key}: {case[key] if key == 'title' else case['published']}" for key in ("published", "title") if case.get(key)]
    front = "---\n" + "\n".join(m.replace("published:", "date:") for m in meta) + "\n---\n\n" if meta else ""
    parts = [*case.get("context", []), case["sentence"], *case.get("after", [])]
    body = " ".join(parts) if case.get("same_paragraph") else "\n\n".join(parts)
    return front + body + "\n"


def claims_of(case: dict, rules) -> list:
    settings = Settings(nli="off", cache=False)
    found = factcheck.claims([Article(text=article_text(case), name="case.md")], settings=settings, rules=rules)
    return [c for c in found if c.sentence == case["sentence"] or case["sentence"] in c.sentence and case.get("same_paragraph")]


def _show(claims) -> str:
    return "\n".join(
        f"  {c.text!r}: value={c.value} unit={c.unit} subject={c.subject} metric={c.metric} q={list(c.qualifiers)} "
        f"period={(c.period.granularity, c.period.start, c.period.end) if c.period else None} session={c.session} "
        f"forecast={c.forecast} attribution={c.attribution} evidence={c.evidence}"
        for c in claims
    )


def _same(field: str, got, want) -> bool:
    if field in ("value", "high") and want is not None and got is not None:
        return got == pytest.approx(float(want), rel=1e-9)
    if field == "qualifiers":
        return tuple(got) == tuple(want)
    if field == "evidence":
        return all(got.get(k) == v for k, v in want.items())
    if field == "period":
        if want is None or got is None:
            return got is want
        return all(getattr(got, k) == v for k, v in want.items())
    return got == want


def _mismatches(claim, want: dict) -> list[str]:
    bad = []
    for field, value in want.items():
        if field in SPECIAL:
            continue
        if not _same(field, getattr(claim, field), value):
            bad.append(f"{field}: want {value!r}, got {getattr(claim, field)!r}")
    for word in want.get("qualifiers_include", []):
        if word not in claim.qualifiers:
            bad.append(f"qualifiers: want {word!r} among {list(claim.qualifiers)}")
    period = claim.period
    for key, value in (want.get("period_not") or {}).items():
        if period is not None and getattr(period, key) == value:
            bad.append(f"period.{key} must not be {value!r}")
    before = want.get("period_not_before")
    if before is not None and period is not None and period.start is not None and period.start < before:
        bad.append(f"period starts {period.start}, before {before}: a duration ahead read as a past window")
    return bad


@pytest.mark.parametrize("case", CASES)
def test_claim_case(case, rules):
    claims = claims_of(case, rules)
    problems = []
    for want in case.get("expect", []):
        same_text = [c for c in claims if c.text == want["text"]]
        if not same_text:
            problems.append(f"no claim {want['text']!r}")
            continue
        got = same_text[want.get("index", 0)] if "index" in want else None
        if got is None:  # several claims of one text (one per subject): any that fits
            fits = [c for c in same_text if not _mismatches(c, want)]
            got = fits[0] if fits else same_text[0]
        problems += [f"{want['text']!r} {m}" for m in _mismatches(got, want)]
    for item in case.get("absent", []):
        want = {"text": item} if isinstance(item, str) else item
        for c in claims:
            if c.text == want["text"] and not _mismatches(c, {k: v for k, v in want.items() if k != "text"}):
                problems.append(f"unexpected claim {want}")
    assert not problems, "\n".join(problems) + "\nclaims:\n" + _show(claims)


def test_enough_cases():
    assert len(CASES) >= 150
    assert len({p.id for p in CASES}) == len(CASES)
