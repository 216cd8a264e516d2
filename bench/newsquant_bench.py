"""Quantity extraction against NewsQuant (the CQE paper's news test set), side by side with
quantulum3 and the published CQE / quantulum3 / GPT-3 rows.

    .venv/bin/python bench/newsquant_bench.py [--write-docs] [--failures N]

Reads ../shared/eval/newsquant/NewsQuant.json in place. factcheck's figures are what
`factcheck claims` lists: every claim of ``normalize.extract_claims`` on a one-sentence
document per NewsQuant sentence (no context carried between sentences), one prediction
per distinct mention (a figure with two subjects is one prediction). quantulum3 runs when
installed (`pip install quantulum3`, the `bench` extra); otherwise its row is left out.

Matching (per sentence, a maximum one-to-one matching between gold and predicted
quantities; P = matched / predicted, R = matched / gold, F1 their harmonic mean):

* value: the numbers agree within a relative tolerance of 1e-4, with no absolute tolerance
  (CQE's own scorer uses numpy.isclose with rtol 1e-5). Signs are ignored ("-0.6%" in the gold is "down 0.6%"
  for factcheck, which keeps magnitude and direction apart). A gold range "a-b" matches a
  predicted range with the same ends (in either order); a gold range never matches a
  single figure. For quantulum3, which has no ranges, gold ranges are averaged, as CQE's
  scorer does for it. factcheck's canonical values are read back in the gold's units
  where the gold keeps the written unit: basis points (factcheck: percentage points x
  0.01), cents, pence and sen (factcheck: dollars, pounds, ringgit x 0.01).
* value+unit: value, and factcheck's unit mapped to NewsQuant's ``normalized_unit``
  (USD -> dollar, EUR -> euro, GBP -> pound sterling, percent -> percentage, index_point
  -> point, "USD / year" -> dollar per year, "USD / oil_barrel" -> dollar per barrel,
  "USD / share" -> dollar per share, GW -> gigawatt, liter -> litre, a duration written
  "-old" -> year of age, ...; currencies by their CLDR name). Lossy: factcheck has no unit
  for counts ("12 people": NewsQuant's unit is the counted noun, "people"), so counts
  match only gold units "-", "count" and "unit".
* value+change: value, and NewsQuant's ``change`` from factcheck's direction and
  qualifier: direction up/down -> up/down, else qualifier approx -> "~", over/at_least ->
  ">", under/up_to -> "<", exact/range -> "=". Lossy: factcheck sets a direction only on
  percentages and signed metrics, so "up 19 cents" is "=" for it.
* money-and-percent subset: gold quantities whose normalized unit is a currency, a
  currency rate or "percentage", against predictions of kind money or percent.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EVAL, prf, publish, table  # noqa: E402

DATA = EVAL / "newsquant" / "NewsQuant.json"
REL_TOL = 1e-4

PUBLISHED = [  # whole set, P / R / F1, from CQE_Evaluation data/evaluation_output/NewsQuant.csv
    ("CQE (published)", (92.0, 91.9, 92.0), (85.6, 85.5, 85.6), (88.2, 88.1, 88.1)),
    ("quantulum3 (published)", (65.0, 83.3, 73.0), (42.1, 53.9, 47.2), None),
    ("Recognizers-Text (published)", (59.7, 82.2, 69.1), (29.6, 40.7, 34.2), None),
    ("GPT-3 (published)", (72.1, 69.1, 70.6), (60.3, 57.9, 59.1), None),
]

CURRENCY_NAMES = {
    "dollar", "euro", "pound sterling", "japanese yen", "chinese yuan", "australian dollar", "shekel",
    "malaysian ringgit", "cent", "sen", "hong kong dollar", "danish krone", "indian rupee", "singaporean dollar",
    "croatian kuna", "south african rand", "new zealand dollar", "canadian dollar", "united states dollar",
    "swiss franc", "norwegian krone", "swedish krona", "south korean won", "penny", "pence", "russian ruble",
    "brazilian real", "mexican peso", "turkish lira", "philippine peso", "new taiwan dollar",
}  # fmt: skip
# factcheck currency code -> NewsQuant's name where the CLDR name differs
CODE_NAMES = {
    "USD": "dollar", "EUR": "euro", "GBP": "pound sterling", "JPY": "japanese yen", "CNY": "chinese yuan",
    "ILS": "shekel", "SGD": "singaporean dollar", "KRW": "south korean won", "INR": "indian rupee",
}  # fmt: skip
UNIT_NAMES = {
    "percent": "percentage", "percentage_point": "percentage point", "index_point": "point",
    "multiple": "times", "count": "count", "GW": "gigawatt", "MW": "megawatt", "kW": "kilowatt", "TW": "terawatt",
    "W": "watt", "GWh": "gigawatt hour", "TWh": "terawatt hour", "MWh": "megawatt hour", "kWh": "kilowatt hour",
    "nm": "nanometre", "km": "kilometre", "oil_barrel": "barrel", "troy_ounce": "ounce", "tonne": "metric ton",
    "ton": "ton", "square_foot": "square feet", "acre": "acre",
    # pint's US spellings and names -> NewsQuant's
    "meter": "metre", "kilometer": "kilometre", "millimeter": "millimetre", "centimeter": "centimetre",
    "liter": "litre", "milliliter": "millilitre", "meter ** 2": "square metre", "mile ** 2": "square mile",
    "pound": "pound-mass", "degree_Celsius": "celsius", "degree_Fahrenheit": "fahrenheit",
    "calendar_quarter": "quarter", "kilocalorie": "calorie",
}  # fmt: skip
RATE_NAMES = {"day": "day", "week": "week", "month": "month", "calendar_quarter": "quarter", "year": "year"}
# the denominator of a price per unit ("USD / oil_barrel" -> "dollar per barrel")
PER_NAMES = {
    "oil_barrel": "barrel", "troy_ounce": "ounce", "square_foot": "square foot", "meter ** 2": "square metre",
    "MMBtu": "mega british thermal unit", "share": "share", "gallon": "gallon", "gram": "gram",
    "kilogram": "kilogram", "liter": "litre", "tonne": "metric ton",
}  # fmt: skip
COUNT_UNITS = {"-", "count", "unit", ""}


@dataclass
class Pred:
    values: tuple  # candidate readings: floats, or (lo, hi) for a range
    unit: str  # mapped to NewsQuant's naming
    change: str | None
    money_or_percent: bool
    text: str


@dataclass
class Gold:
    value: float | tuple
    unit: str
    change: str
    money_or_percent: bool


@dataclass
class Tally:
    n_pred: int = 0
    n_gold: int = 0
    tp: dict = field(default_factory=lambda: Counter())


def _gold_value(raw: str, average_ranges: bool) -> float | tuple:
    raw = raw.strip()
    if "E" not in raw.upper() and not raw.startswith("-") and "-" in raw:
        lo, hi = (float(x) for x in raw.split("-", 1))
        return (lo + hi) / 2 if average_ranges else (min(lo, hi), max(lo, hi))
    return float(raw)


def _is_money_or_percent(unit: str) -> bool:
    base = unit.lower().split(" per ")[0]
    return base in CURRENCY_NAMES or base == "percentage"


def load_gold(average_ranges: bool = False) -> list[tuple[str, list[Gold]]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out = []
    for item in data:
        golds = []
        for q in item["quantities"]:
            unit = q["normalized_unit"].strip().lower()
            golds.append(Gold(_gold_value(q["value"], average_ranges), unit, q["change"], _is_money_or_percent(unit)))
        out.append((item["text"], golds))
    return out


def _close(a: float, b: float) -> bool:
    # no absolute tolerance: it would match any two values below it ("2.998e-8" and "1e-9")
    return math.isclose(abs(a), abs(b), rel_tol=REL_TOL, abs_tol=0.0)


def value_match(g: Gold, p: Pred) -> bool:
    for v in p.values:
        if isinstance(g.value, tuple):
            if isinstance(v, tuple) and _close(g.value[0], v[0]) and _close(g.value[1], v[1]):
                return True
        elif not isinstance(v, tuple) and _close(g.value, v):
            return True
    return False


CRITERIA = {
    "value": lambda g, p: value_match(g, p),
    "value+unit": lambda g, p: value_match(g, p) and (g.unit == p.unit or (p.unit == "count" and g.unit in COUNT_UNITS)),
    "value+change": lambda g, p: value_match(g, p) and p.change is not None and g.change == p.change,
}


def _max_matching(golds: list[Gold], preds: list[Pred], ok) -> list[tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths; sentences have a handful of figures)."""
    adj = [[j for j, p in enumerate(preds) if ok(g, p)] for g in golds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(golds)):
        augment(i, set())
    return [(i, j) for j, i in owner.items()]


# --- systems ---------------------------------------------------------------------------


def _fc_unit(unit: str, text: str) -> str:
    base, _, per = unit.partition(" / ")
    if per and per not in RATE_NAMES and " / " not in per:
        # "USD / meter ** 2" and "mile / hour" split at their first " / "
        per = PER_NAMES.get(per, UNIT_NAMES.get(per, per))
    elif " / " in per:  # a price per unit and a rate: "USD / share / calendar_quarter"
        unit_part, _, rate = per.partition(" / ")
        per = f"{PER_NAMES.get(unit_part, unit_part)} per {RATE_NAMES.get(rate, rate)}"
    if base in CODE_NAMES or re.fullmatch(r"[A-Z]{3}", base):
        name = CODE_NAMES.get(base)
        if name is None:
            from babel.numbers import get_currency_name

            name = get_currency_name(base, locale="en").lower()
        if re.search(r"\bcents?\b", text):
            name = "cent"
        elif re.search(r"\d\s?p\b|\bpence\b", text):
            name = "penny"
        elif re.search(r"\bsen\b", text):
            name = "sen"
    else:
        name = UNIT_NAMES.get(base, base)
        if base == "percentage_point" and re.search(r"\bbasis|\bbps?\b|bpts?\b", text, re.I):
            name = "basis point"
        elif base in ("year", "month") and re.search(r"\bold\b", text):
            name = f"{base} of age"  # "a 15-year-old"
    return f"{name} per {RATE_NAMES.get(per, per)}" if per else name


def _fc_change(c) -> str:
    if c.direction in ("up", "down"):
        return c.direction
    return {"approx": "~", "over": ">", "at_least": ">", "under": "<", "up_to": "<"}.get(c.qualifier, "=")


def factcheck_predictions(sentences: list[str]) -> tuple[list[list[Pred]], float]:
    # Extraction alone, not factcheck.claims: each gold item is one sentence, which ingest
    # could split in two or keep as a heading; the Document holds it exactly as given.
    from factcheck.models import Document, Sentence
    from factcheck.normalize import extract_claims
    from factcheck.rules import load_rules

    rules = load_rules(None)
    out: list[list[Pred]] = []
    t0 = time.perf_counter()
    for i, text in enumerate(sentences):
        doc = Document(path=f"newsquant/{i}", sentences=[Sentence(text=text, line=1, column=1, paragraph=0)])
        preds: list[Pred] = []
        last: tuple | None = None
        subjects: set = set()
        for c in extract_claims(doc, rules):
            # one figure with two subjects ("A and B both fell 10%") is two consecutive
            # claims with different subjects; the same text twice with one subject is two figures
            key = (c.text, c.value, c.high)
            if key == last and c.subject not in subjects:
                subjects.add(c.subject)
                continue
            last, subjects = key, {c.subject}
            unit = _fc_unit(c.unit, c.text)
            values: list = []
            if c.high is not None:
                values.append((min(c.value, c.high), max(c.value, c.high)))
            else:
                values.append(c.value)
                if unit in ("basis point", "cent", "penny", "sen") or unit.startswith(("cent ", "penny ", "sen ")):
                    values.append(c.value * 100)
            preds.append(Pred(tuple(values), unit, _fc_change(c), c.kind in ("money", "percent"), c.text))
        out.append(preds)
    return out, time.perf_counter() - t0


def quantulum_predictions(sentences: list[str]) -> tuple[list[list[Pred]] | None, float]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return None, 0.0
    out = []
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in sentences:
            preds = []
            try:
                found = parser.parse(text)
            except Exception:  # quantulum3 raises on a few odd inputs; count them as nothing found
                found = []
            for q in found:
                unit = q.unit.name.lower()
                preds.append(Pred((float(q.value),), unit, None, _is_money_or_percent(unit), q.surface))
            out.append(preds)
    return out, time.perf_counter() - t0


# --- scoring ---------------------------------------------------------------------------


def score(gold: list[tuple[str, list[Gold]]], preds: list[list[Pred]], subset: bool = False):
    t = Tally()
    failures = []  # (sentence, unmatched golds, unmatched preds) for the value criterion
    for (text, golds), ps in zip(gold, preds):
        if subset:
            golds = [g for g in golds if g.money_or_percent]
            ps = [p for p in ps if p.money_or_percent]
        t.n_gold += len(golds)
        t.n_pred += len(ps)
        for name, ok in CRITERIA.items():
            pairs = _max_matching(golds, ps, ok)
            t.tp[name] += len(pairs)
            if name == "value":
                mg = {i for i, _ in pairs}
                mp = {j for _, j in pairs}
                failures.append((text, [g for i, g in enumerate(golds) if i not in mg], [p for j, p in enumerate(ps) if j not in mp], golds, ps, pairs))
            if name == "value+unit" and subset:
                mg = {i for i, _ in pairs}
                mp = {j for _, j in pairs}
                failures[-1] = failures[-1] + ([(golds[i], ps[j]) for i, j in _max_matching(golds, ps, CRITERIA["value"]) if i not in mg],)
    return t, failures


def rows_for(name: str, t: Tally, change: bool) -> list:
    row = [name]
    for crit in ("value", "value+unit", "value+change"):
        if crit == "value+change" and not change:
            row.append("–")
            continue
        p, r, f = prf(t.tp[crit], t.n_pred, t.n_gold)
        row.append(f"{100 * p:.1f} / {100 * r:.1f} / {100 * f:.1f}")
    return row


_TIME_GOLD = {"year", "day", "month", "week", "hour", "minute", "second", "year of age", "month of age"}
_VAGUE = re.compile(r"\b(?:dozens|tens|hundreds|thousands|millions|billions)\s+of\b", re.I)


def classify_failures(failures) -> Counter:
    """Coarse failure classes on the value criterion (whole set), for the report."""
    classes: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)

    def add(cls: str, example: str) -> None:
        classes[cls] += 1
        if len(examples[cls]) < 50:
            examples[cls].append(example)

    for text, miss_g, miss_p, golds, preds, _pairs in failures:
        singles = [(p, v) for p in miss_p for v in p.values if not isinstance(v, tuple)]
        change_ends: set[int] = set()  # predictions that are the ends of a "from X to Y" change
        for g in miss_g:
            u = g.unit
            ends = []
            if isinstance(g.value, tuple):
                ends = [id(p) for end in g.value for p, v in singles if _close(end, v)]
            if u in _TIME_GOLD:
                cls = "FN duration in a time window (periods.py's: 'the past two years') or not read"
            elif isinstance(g.value, tuple) and len(set(ends)) >= 1 and not _VAGUE.search(text):
                cls = "FN 'from X to Y' read as a change (two figures); the gold has one range"
                change_ends.update(ends)
            elif isinstance(g.value, tuple) and _VAGUE.search(text) or (u != "-" and "dozen" in text.lower()):
                cls = "FN vague amount: 'dozens of', 'tens of thousands of' (no figure written)"
            elif isinstance(g.value, tuple):
                cls = "FN other range"
            elif u.startswith("%"):
                cls = "FN fraction: 'a third', 'half', 'one out of three'"
            elif any(value_match(g, Pred((v * 100,), "", None, False, "")) for _, v in singles):
                cls = "FN scale read differently"
            elif g.money_or_percent:
                cls = "FN money/percent missed"
            elif u in ("-", "count", "people") or u.split()[0].islower():
                cls = "FN count or other unit missed"
            else:
                cls = "FN other"
            add(cls, f"gold {g.value} {g.unit}: {text[:140]}")
        for p in miss_p:
            if id(p) in change_ends:
                cls = "FP an end of a 'from X to Y' change (the gold has one range)"
            else:
                cls = "FP " + ("money/percent" if p.money_or_percent else "count/other") + " not in gold"
            add(cls, f"pred {p.text!r}: {text[:140]}")
    return classes, examples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write-docs", action="store_true", help="update the NewsQuant section of docs/benchmarks.md")
    ap.add_argument("--failures", type=int, default=0, help="print N example failures per class")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"NewsQuant not found at {DATA}; nothing to do")
        return 0
    gold = load_gold()
    sentences = [t for t, _ in gold]
    fc, fc_s = factcheck_predictions(sentences)
    ql, ql_s = quantulum_predictions(sentences)

    whole, fails = score(gold, fc)
    sub, sub_fails = score(gold, fc, subset=True)
    rows = [rows_for("factcheck (this run)", whole, True)]
    sub_rows = [rows_for("factcheck (this run)", sub, True)]
    if ql is not None:
        qgold = load_gold(average_ranges=True)
        qw, _ = score(qgold, ql)
        qs, _ = score(qgold, ql, subset=True)
        rows.append(rows_for("quantulum3 (this run)", qw, False))
        sub_rows.append(rows_for("quantulum3 (this run)", qs, False))
    for name, v, vu, vc in PUBLISHED:
        rows.append([name, " / ".join(f"{x:.1f}" for x in v), " / ".join(f"{x:.1f}" for x in vu), " / ".join(f"{x:.1f}" for x in vc) if vc else "–"])
    headers = ["system", "value P / R / F1", "value+unit P / R / F1", "value+change P / R / F1"]
    n_gold_sub = sub.n_gold
    out = [
        f"NewsQuant: {len(gold)} sentences, {whole.n_gold} gold quantities ({n_gold_sub} money or percent).",
        "",
        "Whole set:",
        "",
        table(headers, rows),
        "",
        f"Money-and-percent subset ({n_gold_sub} gold quantities):",
        "",
        table(headers, sub_rows),
        "",
        f"Time: factcheck {fc_s:.1f} s for {len(gold)} sentences"
        + (f", quantulum3 {ql_s:.1f} s" if ql is not None else ", quantulum3 not installed")
        + " (2-core machine).",
    ]
    classes, examples = classify_failures(fails)
    out += ["", "factcheck failure classes on the whole set (value criterion):", ""]
    out.append(table(["class", "count"], classes.most_common()))
    report = "\n".join(out)
    print(report)
    if args.failures:
        for cls, exs in examples.items():
            print(f"\n## {cls}")
            for e in exs[: args.failures]:
                print("  ", e)
        print("\n## subset value+unit misses")
        k = 0
        for f in sub_fails:
            for g, p in f[6] if len(f) > 6 else []:
                k += 1
                if k <= args.failures * 3:
                    print(f"   gold {g.value} {g.unit!r} vs pred {p.text!r} {p.unit!r}: {f[0][:120]}")
        print("\n## subset value misses")
        k = 0
        for text, miss_g, miss_p, *_ in sub_fails:
            if miss_g or miss_p:
                k += 1
                if k <= args.failures * 4:
                    print(f"   gold {[(g.value, g.unit) for g in miss_g]} pred {[p.text for p in miss_p]}: {text[:150]}")
    summary = {
        "whole": {c: prf(whole.tp[c], whole.n_pred, whole.n_gold) for c in CRITERIA},
        "subset": {c: prf(sub.tp[c], sub.n_pred, sub.n_gold) for c in CRITERIA},
    }
    publish("newsquant", summary, "newsquant.json", report if args.write_docs else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
