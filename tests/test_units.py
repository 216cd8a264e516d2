"""load_units on rules/ and on broken copies of it; unit arithmetic the compare stage relies on."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from factcheck.errors import RulesError
from factcheck.units import CURRENCIES_FILE, FX_FILE, UNITS_FILE, UnitSystem, load_units

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
REQUIRED = "USD EUR GBP JPY CNY KRW NOK SEK DKK CHF HKD INR CAD AUD".split()


@pytest.fixture(scope="module")
def units() -> UnitSystem:
    return load_units(RULES)


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    for name in (UNITS_FILE, CURRENCIES_FILE, FX_FILE):
        shutil.copy(RULES / name, tmp_path / name)
    return tmp_path


def _line_of(path: Path, needle: str) -> int:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return lineno
    raise AssertionError(f"{needle!r} not in {path}")


# --- the real rules ------------------------------------------------------------------------


def test_required_currencies_and_rates(units: UnitSystem) -> None:
    for code in REQUIRED:
        assert code in units.currencies
        assert units.fx.to_usd(1.0, code) is not None
        units.quantity(1.0, code)
    assert 0 < units.fx_tolerance < 1
    assert "not a market feed" in units.fx.source


def test_names_and_symbols_from_cldr_and_rules(units: UnitSystem) -> None:
    surfaces = units.currency_surfaces
    assert "norwegian kroner" in units.currencies["NOK"].names  # CLDR plural
    assert "swedish kronor" in units.currencies["SEK"].names
    assert surfaces["€"].code == "EUR" and surfaces["£"].code == "GBP"
    assert surfaces["₩"].code == "KRW"
    assert surfaces["yuan"].code == "CNY" and surfaces["won"].code == "KRW"
    assert surfaces["$"].code == "USD" and surfaces["US$"].code == "USD"
    assert surfaces["¥"].code == "JPY" and surfaces["¥"].alternatives == ("CNY",)
    assert surfaces["crowns"].code == "NOK"
    assert set(surfaces["crowns"].alternatives) == {"SEK", "DKK", "CZK"}
    assert surfaces["kr"].alternatives  # shared by NOK, SEK, DKK


def test_basis_points_equal_percentage_points(units: UnitSystem) -> None:
    q = units.quantity
    a, b, unit = units.to_common(q(1.5, "percentage_point"), q(150, "basis_point"))
    assert unit == "percentage_point" and math.isclose(a, b)


def test_percentage_points_are_not_percent(units: UnitSystem) -> None:
    q = units.quantity
    assert units.to_common(q(1.5, "percentage_point"), q(1.5, "percent")) is None
    assert units.to_common(q(1.5, "percent"), q(150, "basis_point")) is None


def test_percent_count_and_multiple_stay_apart(units: UnitSystem) -> None:
    q = units.quantity
    assert units.to_common(q(35, "count"), q(35, "percent")) is None
    assert units.to_common(q(3, "multiple"), q(3, "count")) is None
    assert units.to_common(q(5, "percent"), q(5.0, "percent")) == (5.0, 5.0, "percent")


def test_monthly_and_yearly_money(units: UnitSystem) -> None:
    q = units.quantity
    a, b, unit = units.to_common(q(1.25e9, "USD / month"), q(15e9, "USD / year"))
    assert unit == "USD / month" and math.isclose(a, b)
    a, b, _ = units.to_common(q(10, "USD / calendar_quarter"), q(40, "USD / year"))
    assert math.isclose(a, b)
    assert units.to_common(q(1, "USD / month"), q(1, "USD")) is None


def test_currencies_convert_only_through_fx(units: UnitSystem) -> None:
    q = units.quantity
    eur, usd = q(100, "EUR"), q(100, "USD")
    assert eur.dimensionality != usd.dimensionality  # pint alone never converts them
    a, b, unit = units.to_common(eur, usd)
    assert unit == "USD"
    assert math.isclose(a, 100 * units.fx.rates["EUR"]) and math.isclose(b, 100)
    assert units.uses_fx(eur, usd) and not units.uses_fx(usd, q(5, "USD"))
    a, b, unit = units.to_common(q(1, "EUR / month"), q(12, "USD / year"))
    assert unit == "USD / month" and math.isclose(a, units.fx.rates["EUR"]) and math.isclose(b, 1)
    assert units.to_common(q(1, "EUR / month"), q(1, "USD")) is None
    assert units.to_common(q(1, "EUR"), q(1, "percent")) is None


def test_currency_missing_from_fx_table(rules_copy: Path) -> None:
    fx = rules_copy / FX_FILE
    fx.write_text(
        "".join(line for line in fx.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.strip().startswith("RUB:")),
        encoding="utf-8",
    )
    units = load_units(rules_copy)
    assert units.to_common(units.quantity(1, "RUB"), units.quantity(1, "USD")) is None
    assert units.to_common(units.quantity(1, "EUR"), units.quantity(1, "USD")) is not None


# --- broken rules ----------------------------------------------------------------------------


def test_bad_yaml_names_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / CURRENCIES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    at = _line_of(path, "  EUR:")
    lines.insert(at, "    names: [euro, euros")  # unclosed flow sequence
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_units(rules_copy)
    assert err.value.path == str(path)
    assert err.value.line is not None and at <= err.value.line <= at + 2
    assert f"{path}:{err.value.line}:" in str(err.value)


def test_invalid_fx_value_names_its_line(rules_copy: Path) -> None:
    path = rules_copy / FX_FILE
    text = path.read_text(encoding="utf-8").replace("tolerance: 0.15", "tolerance: 2")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_units(rules_copy)
    assert err.value.path == str(path)
    assert err.value.line == _line_of(path, "tolerance: 2")
    assert "tolerance" in err.value.message


def test_unknown_currency_code_rejected(rules_copy: Path) -> None:
    path = rules_copy / CURRENCIES_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("  RUB:", "  XQZ:"), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_units(rules_copy)
    assert err.value.path == str(path) and "XQZ" in err.value.message


@pytest.mark.parametrize(
    "bad_line",
    [
        "broken_unit = = 3",  # not a definition
        "blargh_unit = 3 * no_such_unit",  # pint accepts it and fails only on first use
        "percent = 0.02",  # redefines a pint unit
        "9lives = 9 * count",  # not an identifier
    ],
)
def test_bad_pint_definition_names_file_and_line(rules_copy: Path, bad_line: str) -> None:
    path = rules_copy / UNITS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, bad_line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_units(rules_copy)
    assert err.value.path == str(path)
    assert err.value.line == 4
    assert str(err.value).startswith(f"{path}:4: ")


def test_missing_rules_file(rules_copy: Path) -> None:
    (rules_copy / FX_FILE).unlink()
    with pytest.raises(RulesError) as err:
        load_units(rules_copy)
    assert err.value.path.endswith(FX_FILE)


# --- prices per unit, prefix-only currency forms ----------------------------------------------


def test_prices_per_unit_never_compare_with_amounts(units: UnitSystem) -> None:
    q = units.quantity
    assert units.to_common(q(0.63, "USD / share"), q(0.63, "USD")) is None
    assert units.to_common(q(58.24, "USD / oil_barrel"), q(58.24, "USD")) is None
    assert units.to_common(q(2.24, "USD / MMBtu"), q(2.24, "USD / share")) is None
    # the same price in two currencies still converts through the FX table
    a, b, unit = units.to_common(q(6, "CAD / share"), q(4.46, "USD / share"))
    assert unit == "USD / share" and math.isclose(a, 6 * units.fx.rates["CAD"]) and math.isclose(b, 4.46)
    assert units.currency_of(q(80, "USD / meter ** 2 / year")) == "USD"
    a, b, _ = units.to_common(q(1, "USD / MMBtu"), q(1e-6, "USD / Btu"))
    assert math.isclose(a, b)


def test_prefix_only_currency_forms(units: UnitSystem) -> None:
    surfaces = units.currency_surfaces
    assert surfaces["PS"].code == "GBP" and surfaces["PS"].form == "prefix"
    assert surfaces["Y="].code == "JPY" and surfaces["Y="].alternatives == ()
    assert "PS" in units.currencies["GBP"].prefixes
    assert surfaces["C $"].code == "CAD" and surfaces["S $"].code == "SGD"


def test_bad_prefix_names_its_line(rules_copy: Path) -> None:
    path = rules_copy / CURRENCIES_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("prefixes: [PS]", 'prefixes: ["P S"]'), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_units(rules_copy)
    assert err.value.path == str(path)
    assert err.value.line == _line_of(path, 'prefixes: ["P S"]')
    assert "prefix" in err.value.message


def test_rules_without_prefixes_still_scan(rules_copy: Path) -> None:
    from factcheck.extract.quantities import find_quantities

    path = rules_copy / CURRENCIES_FILE
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if "prefixes:" not in line)
    path.write_text(text + "\n", encoding="utf-8")
    units = load_units(rules_copy)
    assert not [s for s, v in units.currency_surfaces.items() if v.form == "prefix"]
    (money,) = find_quantities("It paid $5 billion, or PS2.7m.", units)
    assert money.unit == "USD" and money.value == 5e9
