"""rules/words.yaml: every word it lists is read the way it says, and a bad entry is one
clear error naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.extract.entities import name_key
from factcheck.extract.quantities import find_quantities
from factcheck.rules import RulesError, load_yaml_model
from factcheck.units import UnitSystem, load_units
from factcheck.words import WORDS, WordsFile

ROOT = Path(__file__).resolve().parent.parent
WORDS_FILE = ROOT / "rules" / "words.yaml"


@pytest.fixture(scope="module")
def units() -> UnitSystem:
    return load_units(ROOT / "rules")


def _only(text: str, units: UnitSystem):
    found = find_quantities(text, units)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("word", sorted(WORDS.scale_words))
def test_each_scale_word_scales_a_money_figure(word: str, units: UnitSystem) -> None:
    got = _only(f"The lender set aside $3 {word} for bad loans.", units)
    assert got.value == pytest.approx(3 * WORDS.scale_words[word])
    assert got.unit == "USD"


@pytest.mark.parametrize("word", WORDS.scale_words_plural)
def test_plural_scale_words_scale_too(word: str, units: UnitSystem) -> None:
    got = _only(f"The insurer paid out Rs 12 {word}s in claims.", units)
    assert got.value == pytest.approx(12 * WORDS.scale_words[word])


@pytest.mark.parametrize(
    ("qualifier", "phrase"),
    [(q, p) for q, phrases in WORDS.qualifiers.items() if q not in ("between", "from") for p in phrases],
)
def test_each_qualifier_phrase_sets_its_qualifier(qualifier: str, phrase: str, units: UnitSystem) -> None:
    got = _only(f"The port handled {phrase} $40 million of cargo.", units)
    assert got.qualifier == qualifier
    assert got.text.startswith(phrase)


@pytest.mark.parametrize(("word", "qualifier"), sorted(WORDS.qualifiers_after.items()))
def test_each_word_after_or_sets_its_qualifier(word: str, qualifier: str, units: UnitSystem) -> None:
    got = _only(f"Bids came in at $40 million or {word}, brokers said.", units)
    assert got.qualifier == qualifier


@pytest.mark.parametrize(
    ("rate", "noun"), [(rate, noun) for rate, words in WORDS.rates.items() for noun in words.nouns]
)
def test_each_rate_noun_sets_the_rate(rate: str, noun: str, units: UnitSystem) -> None:
    got = _only(f"The tenant pays $2 million a {noun} for the warehouse.", units)
    assert got.rate == rate


@pytest.mark.parametrize(
    ("rate", "word"), [(rate, w) for rate, words in WORDS.rates.items() for w in words.adjectives]
)
def test_each_rate_adjective_before_a_figure_sets_the_rate(rate: str, word: str, units: UnitSystem) -> None:
    got = _only(f"It agreed to a {word} fee of $2 million.", units)
    assert got.rate == rate


@pytest.mark.parametrize(("word", "unit"), sorted(WORDS.per_units.words.items()))
def test_each_per_unit_word_makes_a_price(word: str, unit: str, units: UnitSystem) -> None:
    got = _only(f"Buyers paid $12.50 per {word} last season.", units)
    assert got.unit == f"USD / {unit}"


@pytest.mark.parametrize("suffix", WORDS.legal_suffixes)
def test_each_legal_suffix_is_dropped_from_a_name(suffix: str) -> None:
    assert name_key(f"Brightwater Foods {suffix.capitalize()}.") == "brightwater foods"


def _bad_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = WORDS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "words.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  million: 1.0e+6\n", "  million: .nan\n", "not a finite number above 1"),
        ("  crore: 1.0e+7\n", "  crore: -1.0e+7\n", "not a finite number above 1"),
        ("scale_words_plural: [lakh, lac, crore]", "scale_words_plural: [lakh, zillion]", "not in scale_words"),
        ("  more: at_least\n", "  more: plenty\n", "qualifiers_after.more"),
        ("bpd: {unit: oil_barrel, rate: day}", "bpd: {unit: oil_barrel, rate: fortnight}", "rate"),
    ],
)
def test_a_bad_entry_names_the_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _bad_copy(tmp_path, old, new)
    with pytest.raises(RulesError) as caught:
        load_yaml_model(path, WordsFile)
    shown = str(caught.value)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new.strip() in text)
    assert shown.startswith(f"{path}:{line}:"), shown
    assert message in shown


def test_a_close_bound_that_is_no_qualifier_phrase_names_the_file_and_line(tmp_path: Path) -> None:
    # "well short of" is read as no qualifier at all, so a close bound could never see it
    path = _bad_copy(tmp_path, "  below: [almost, nearly, just under, just below]", "  below: [almost, well short of]")
    with pytest.raises(RulesError) as caught:
        load_yaml_model(path, WordsFile)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, text in enumerate(lines, 1) if text.startswith("close_bounds:"))
    block = range(start, next(n for n, text in enumerate(lines, 1) if n > start and not text.startswith(" ")))
    shown = str(caught.value)
    assert shown.startswith(f"{path}:") and int(shown[len(str(path)) + 1 :].split(":")[0]) in block, shown
    assert "['well short of'] are not approx or under qualifier phrases" in str(caught.value)


@pytest.mark.parametrize("phrase", [p for p in WORDS.qualifiers["over"] + WORDS.qualifiers["under"] if p.split()[0] in ("just", "slightly", "marginally")])
def test_a_close_bound_phrase_is_read_as_close(phrase: str) -> None:
    from factcheck.link.values import JUST_BEYOND

    assert JUST_BEYOND.match(f"{phrase} $8 billion")
    assert not JUST_BEYOND.match(f"well {phrase.split(None, 1)[1]} $8 billion")


def test_an_empty_close_bound_list_reads_no_figure_as_close() -> None:
    from factcheck.link.values import _opening

    assert not _opening([]).match("8% of sales") and not _opening([]).match("nearly 8%")
    assert _opening(["nearly"]).match("nearly 8%")


def test_rules_yaml_reads_the_same_with_libyaml_and_reports_errors_as_pure_python():
    import yaml

    from factcheck.textguard import compose_and_load

    def places(node):
        out, todo = [], [node]
        while todo:
            n = todo.pop()
            out.append((type(n).__name__, n.tag, n.start_mark.line, n.start_mark.column))
            if isinstance(n.value, list):
                todo.extend(x for v in n.value for x in (v if isinstance(v, tuple) else (v,)))
        return out

    for path in sorted((ROOT / "rules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        node, data = compose_and_load(text)
        assert data == yaml.safe_load(text), path.name
        assert places(node) == places(yaml.compose(text, Loader=yaml.SafeLoader)), path.name
    bad = "words:\n  - a\n b: [\n"
    with pytest.raises(yaml.YAMLError) as theirs:
        yaml.safe_load(bad)
    with pytest.raises(yaml.YAMLError) as ours:
        compose_and_load(bad)
    assert str(ours.value) == str(theirs.value)
