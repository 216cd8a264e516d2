"""The unit system: pint units, currencies and exchange rates, loaded from ``rules/``.

``load_units`` builds one :class:`UnitSystem` per run from three editor-owned files:

* ``rules/units.txt`` -- pint definitions added to pint's default registry (percentage
  points, basis points, multiples, index points, calendar quarters);
* ``rules/currencies.yaml`` -- the ISO codes to recognise; names and symbols are generated
  from CLDR through babel and the file adds news words and settles shared symbols;
* ``rules/fx.yaml`` -- approximate rates to USD, with their date, source and tolerance.

Every currency is its own pint dimension (``USD = [currency_USD]``), so pint never converts
one currency into another: :meth:`UnitSystem.to_common` does it, explicitly, through the FX
table. Problems in any file raise :class:`~factcheck.errors.RulesError` naming the file and
line.

Parsing text into numbers is :mod:`factcheck.extract.quantities`' job; it works with floats and
strings only, and pint objects are built here, when two figures are compared.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

import pint
import yaml
from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name, get_currency_symbol
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from factcheck.errors import RulesError
from factcheck.textguard import compose_and_load, read_small_text, refuse_hostile_yaml

UNITS_FILE = "units.txt"
CURRENCIES_FILE = "currencies.yaml"
FX_FILE = "fx.yaml"

# The pint unit each Rate literal of a mention divides by ("USD / month").
RATE_UNITS: dict[str, str] = {
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "calendar_quarter",
    "year": "year",
}

_CODE_RE = re.compile(r"^[A-Z]{3}$")
_CURRENCY_DIM_RE = re.compile(r"^\[currency_([A-Z]{3})\]$")


class CurrencyInfo(BaseModel):
    """One currency as the text may write it."""

    model_config = ConfigDict(frozen=True)

    code: str  # ISO 4217, also its pint unit name
    name: str  # CLDR English display name: "Norwegian Krone"
    names: tuple[str, ...]  # lower case, matched case-insensitively after a number
    symbols: tuple[str, ...]  # matched case-sensitively before or after a number
    prefixes: tuple[str, ...] = ()  # matched case-sensitively only glued before a number


class CurrencySurface(BaseModel):
    """What one written form ("kr", "crowns", "€") means."""

    model_config = ConfigDict(frozen=True)

    code: str
    alternatives: tuple[str, ...] = ()  # other currencies it may mean; empty when clear
    # "name": after a number, any case; "symbol": before or after, as written; "prefix":
    # only glued before a number (scraped forms: "PS2.7m" for £2.7m, Reuters' "Y=590")
    form: Literal["name", "symbol", "prefix"]


class FxTable(BaseModel):
    """Rates to USD: ``rates[code]`` is US dollars per one unit of ``code``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: dt.date
    source: str = Field(min_length=1)
    tolerance: float = Field(gt=0, lt=1)
    base: Literal["USD"] = "USD"
    rates: dict[str, float]

    @field_validator("rates")
    @classmethod
    def _check_rates(cls, rates: dict[str, float]) -> dict[str, float]:
        for code, rate in rates.items():
            if not _CODE_RE.match(code):
                raise ValueError(f"{code!r} is not a three-letter ISO currency code")
            if not rate > 0:
                raise ValueError(f"rate for {code} must be positive, got {rate}")
        if rates.get("USD", 1.0) != 1.0:
            raise ValueError("the rate for USD, the base, must be 1.0")
        return rates

    def to_usd(self, amount: float, code: str) -> float | None:
        rate = 1.0 if code == "USD" else self.rates.get(code)
        return None if rate is None else amount * rate


class _CurrencyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(default_factory=list)
    symbols: list[str] = Field(default_factory=list)
    # written only glued before a number: "PS2.7m" (a scraped £), Reuters' "Y=28,030"
    prefixes: list[str] = Field(default_factory=list)

    @field_validator("prefixes")
    @classmethod
    def _check_prefixes(cls, prefixes: list[str]) -> list[str]:
        for prefix in prefixes:
            if not re.fullmatch(r"\S{2,4}", prefix):
                raise ValueError(f"prefix {prefix!r} must be 2 to 4 characters without spaces")
        return prefixes


class _AmbiguousEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: str
    also: list[str] = Field(default_factory=list)


class _CurrenciesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    symbol_locales: list[str] = Field(default_factory=lambda: ["en"])
    currencies: dict[str, _CurrencyEntry | None]
    ambiguous: dict[str, _AmbiguousEntry] = Field(default_factory=dict)

    @field_validator("currencies")
    @classmethod
    def _check_codes(cls, currencies: dict[str, Any]) -> dict[str, Any]:
        if not currencies:
            raise ValueError("at least one currency is needed")
        for code in currencies:
            if not _CODE_RE.match(code):
                raise ValueError(f"{code!r} is not a three-letter ISO currency code")
            # babel answers an unknown code with the code itself
            if get_currency_name(code, locale="en") == code:
                raise ValueError(f"{code!r} is not a currency CLDR knows")
        return currencies

    @model_validator(mode="after")
    def _check_ambiguous(self) -> _CurrenciesFile:
        for surface, entry in self.ambiguous.items():
            for code in [entry.default, *entry.also]:
                if code not in self.currencies:
                    raise ValueError(f"ambiguous {surface!r}: {code} is not under currencies")
        return self


class UnitSystem:
    """pint registry, currencies and FX table for one run; build with :func:`load_units`."""

    def __init__(
        self,
        ureg: pint.UnitRegistry,
        currencies: dict[str, CurrencyInfo],
        surfaces: dict[str, CurrencySurface],
        fx: FxTable,
    ):
        self.ureg = ureg
        self.currencies = currencies
        # written form -> meaning; names keyed in lower case, symbols as written
        self.currency_surfaces = surfaces
        self.fx = fx
        self.fx_tolerance = fx.tolerance
        self._unit_cache: dict[str, Any] = {}
        self._factor_cache: dict[tuple[str, str], tuple[float, float, str] | None] = {}
        # What other modules derive from this system once per run (quantities.py keeps its
        # compiled currency patterns here), so no caller rebuilds it per sentence.
        self.derived: dict[str, Any] = {}

    def quantity(self, value: float, unit: str) -> pint.Quantity:
        units = self._unit_cache.get(unit)
        if units is None:
            units = self._unit_cache[unit] = self.ureg.Unit(unit)
        return self.ureg.Quantity(value, units)

    def currency_of(self, q: pint.Quantity) -> str | None:
        """The ISO code in ``q``'s unit ("EUR / month" -> "EUR"); None when not money."""
        codes = [
            m.group(1)
            for dim, exp in q.dimensionality.items()
            if exp == 1 and (m := _CURRENCY_DIM_RE.match(dim))
        ]
        return codes[0] if len(codes) == 1 else None

    def uses_fx(self, a: pint.Quantity, b: pint.Quantity) -> bool:
        """Whether comparing ``a`` and ``b`` needs the FX table (allow ``fx_tolerance``)."""
        ca, cb = self.currency_of(a), self.currency_of(b)
        return ca is not None and cb is not None and ca != cb

    def to_common(self, a: pint.Quantity, b: pint.Quantity) -> tuple[float, float, str] | None:
        """Both magnitudes in one unit, or None when they cannot be compared.

        Same dimension: ``b`` in ``a``'s unit. Different currencies (with the same rate, if
        any): both in USD through the FX table, None when a currency has no rate.
        Dimensionless units compare only with the same unit: pint would happily turn
        "35 analysts" (count) into 3500%, which is never what the text meant.
        """
        if a.dimensionality == b.dimensionality:
            if a.dimensionless and a.units != b.units:
                return None
            return float(a.magnitude), float(b.to(a.units).magnitude), str(a.units)
        ca, cb = self.currency_of(a), self.currency_of(b)
        if ca is None or cb is None or ca == cb:
            return None
        a_usd, b_usd = self._in_usd(a, ca), self._in_usd(b, cb)
        if a_usd is None or b_usd is None or a_usd.dimensionality != b_usd.dimensionality:
            return None
        return float(a_usd.magnitude), float(b_usd.to(a_usd.units).magnitude), str(a_usd.units)

    def factors(self, a: str, b: str) -> tuple[float, float, str] | None:
        """What one of unit ``a`` and one of unit ``b`` are in their common unit
        (to_common of two ones), or None when they cannot be compared. Cached per pair of
        units: linkage asks it of every candidate pair, and pint takes tens of
        microseconds a conversion. Every unit here is linear (no offsets), so the factors
        scale any value."""
        key = (a, b)
        if key not in self._factor_cache:
            self._factor_cache[key] = self.to_common(self.quantity(1.0, a), self.quantity(1.0, b))
        return self._factor_cache[key]

    def _in_usd(self, q: pint.Quantity, code: str) -> pint.Quantity | None:
        rate = self.fx.to_usd(1.0, code)
        if rate is None:
            return None
        # EUR / month * (rate USD / EUR) -> USD / month: pint cancels the EUR exponents
        return q * self.quantity(rate, "USD") / self.quantity(1.0, code)


def load_units(rules_dir: Path) -> UnitSystem:
    """Build the unit system from ``rules_dir``; RulesError names the bad file and line."""
    rules_dir = Path(rules_dir)
    currencies_file = _load_yaml_model(rules_dir / CURRENCIES_FILE, _CurrenciesFile)
    fx = _load_yaml_model(rules_dir / FX_FILE, FxTable)
    currencies, surfaces = _build_currencies(currencies_file, rules_dir / CURRENCIES_FILE)
    ureg = pint.UnitRegistry()
    for code in currencies:
        ureg.define(f"{code} = [currency_{code}]")
    _load_pint_definitions(ureg, rules_dir / UNITS_FILE)
    return UnitSystem(ureg, currencies, surfaces, fx)


def _read_text(path: Path) -> str:
    try:
        return read_small_text(path)
    except FileNotFoundError:
        raise RulesError(str(path), "rules file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(str(path), f"cannot read rules file: {exc}") from None


def _load_yaml_model(path: Path, model: type[BaseModel]) -> Any:
    text = _read_text(path)
    hostile = refuse_hostile_yaml(text)
    if hostile is not None:
        raise RulesError(str(path), *hostile)
    try:
        node, data = compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        raise RulesError(str(path), f"invalid YAML: {problem}", line) from None
    if not isinstance(data, dict):
        raise RulesError(str(path), "expected a mapping at the top level", 1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        where = ".".join(str(part) for part in loc) or "(top level)"
        raise RulesError(str(path), f"{where}: {err['msg']}", _line_of(node, loc)) from None


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at pydantic error location ``loc`` (or its nearest parent)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _build_currencies(
    spec: _CurrenciesFile, path: Path
) -> tuple[dict[str, CurrencyInfo], dict[str, CurrencySurface]]:
    currencies: dict[str, CurrencyInfo] = {}
    for code, extra in spec.currencies.items():
        extra = extra or _CurrencyEntry()
        names = [
            get_currency_name(code, locale="en"),
            get_currency_name(code, count=1, locale="en"),
            get_currency_name(code, count=2, locale="en"),
            *extra.names,
        ]
        symbols = [code, *extra.symbols]
        for loc in spec.symbol_locales:
            try:
                symbols.append(get_currency_symbol(code, loc))
            except UnknownLocaleError:
                raise RulesError(str(path), f"symbol_locales: unknown locale {loc!r}") from None
        for symbol in symbols:
            # a lone letter ("R", "K") next to a number is far more often something else
            if len(symbol) == 1 and symbol.isascii() and symbol.isalpha():
                message = f"{code}: one-letter symbol {symbol!r} is too ambiguous"
                raise RulesError(str(path), message)
        currencies[code] = CurrencyInfo(
            code=code,
            name=names[0],
            names=tuple(dict.fromkeys(" ".join(n.lower().split()) for n in names)),
            symbols=tuple(dict.fromkeys(symbols)),
            prefixes=tuple(dict.fromkeys(extra.prefixes)),
        )

    # Every written form -> the codes that use it, in the order of the file.
    claimed: dict[tuple[str, str], list[str]] = {}
    for info in currencies.values():
        for name in info.names:
            claimed.setdefault(("name", name), []).append(info.code)
        for symbol in info.symbols:
            claimed.setdefault(("symbol", symbol), []).append(info.code)
        for prefix in info.prefixes:
            claimed.setdefault(("prefix", prefix), []).append(info.code)
    symbols_known = {s for form, s in claimed if form == "symbol"}
    for surface in spec.ambiguous:
        # "kr" is a CLDR symbol; "crowns" is a word: decide by what CLDR already calls it
        form = "symbol" if surface in symbols_known else "name"
        key = (form, surface if form == "symbol" else " ".join(surface.lower().split()))
        claimed.setdefault(key, [])

    surfaces: dict[str, CurrencySurface] = {}
    for (form, surface), codes in claimed.items():
        settled = spec.ambiguous.get(surface)
        if settled is not None:
            code, alternatives = settled.default, tuple(settled.also)
        else:
            codes = list(dict.fromkeys(codes))
            code, alternatives = codes[0], tuple(codes[1:])
        surfaces[surface] = CurrencySurface(code=code, alternatives=alternatives, form=form)
    return currencies, surfaces


# `name = definition [= symbol] [= alias ...]`, each part non-empty
_DEFINITION_RE = re.compile(
    r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^=]*[^=\s])\s*((?:=\s*[^=\s]+\s*)*)$"
)


_DEF_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d{1,30}(?:\.\d{0,30})?(?:[eE][+-]?\d{1,3})?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<dim>\[[A-Za-z_][A-Za-z0-9_]*\])|(?P<pow>\*\*|\^)|(?P<op>[*/()+-]))"
)


def restricted_definition_error(definition: str) -> str | None:
    """Why a units.txt right-hand side is refused before pint evaluates it, or None.

    pint evaluates definitions as arithmetic: `10 ** 10 ** 10` never finishes. Allowed:
    numbers, unit names, [dimensions], * / ( ) and a power only as `** small integer`,
    never one power applied to another.
    """
    pos, tokens = 0, []
    while pos < len(definition):
        m = _DEF_TOKEN.match(definition, pos)
        if m is None or m.end() == pos:
            return f"unexpected {definition[pos:pos + 10]!r}"
        if m.lastgroup:
            tokens.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    powers = 0
    for i, (kind, _) in enumerate(tokens):
        if kind != "pow":
            continue
        powers += 1
        rest = tokens[i + 1 : i + 3]
        exponent = rest[1] if rest and rest[0][0] == "op" and rest[0][1] in "+-" and len(rest) > 1 else rest[0] if rest else None
        if exponent is None or exponent[0] != "num" or not exponent[1].isdigit() or int(exponent[1]) > 12:
            return "a power must be ** followed by an integer of at most 12"
        after = tokens[i + 1 + len(rest[: 2 if rest and rest[0][0] == "op" else 1]) :][:1]
        if after and after[0][0] == "pow":
            return "a power of a power (`a ** b ** c`) is not allowed"
    if powers > 2:
        return "more than two powers in one definition"
    return None


def _load_pint_definitions(ureg: pint.UnitRegistry, path: Path) -> None:
    """Define units.txt line by line: pint accepts many broken lines silently (an unknown
    unit on the right fails only when first used), so each definition is checked here and
    a failure points at its own line."""
    for lineno, raw in enumerate(_read_text(path).splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("@"):
            raise RulesError(str(path), "pint directives (@...) are not supported here", lineno)
        m = _DEFINITION_RE.match(line)
        if m is None:
            message = f"not a pint definition `name = definition`: {line!r}"
            raise RulesError(str(path), message, lineno)
        name, definition = m.group(1), m.group(2).strip()
        aliases = [a.strip() for a in m.group(3).split("=") if a.strip() not in ("", "_")]
        refused = restricted_definition_error(definition)
        if refused is not None:
            raise RulesError(str(path), f"bad pint definition {line!r}: {refused}", lineno)
        for taken in (name, *aliases):
            if taken in ureg:
                raise RulesError(str(path), f"{taken!r} is already a unit; pick a new name", lineno)
        try:
            ureg.define(line)
            if not definition.startswith("["):
                # resolves the right-hand side now, so "3 * blargh" fails on its own line
                ureg.Quantity(1, name).to_base_units()
        except Exception as exc:  # pint raises many types for bad definitions
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            message = f"bad pint definition {line!r}: {message}"
            raise RulesError(str(path), message, lineno) from None
