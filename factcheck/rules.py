"""Load and validate the editor-tunable rules in `rules/`.

Every file is validated with pydantic; a problem becomes a `RulesError` naming the file
and the line of the offending value, so an editor who mistypes a YAML key sees
`rules/metrics.yaml:12: metrics.3.kinds.0: Input should be 'money', 'percent', ...`.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factcheck.errors import RulesError
from factcheck.models import QuantityKind, Severity

# A checkout (or editable install) reads the repository's rules/; a wheel carries a copy.
_REPO_RULES = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_RULES_DIR = _REPO_RULES if (_REPO_RULES / "entities.yaml").is_file() else Path(__file__).resolve().parent / "_rules"

EntityKind = Literal["company", "index", "fund", "country", "group", "forecaster"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityRule(_Strict):
    name: str
    kind: EntityKind = "company"
    aliases: list[str] = Field(default_factory=list)
    tickers: list[str] = Field(default_factory=list)
    case_sensitive: bool = False


class EntitiesFile(_Strict):
    entities: list[EntityRule]


class MetricRule(_Strict):
    id: str
    label: str
    kinds: list[QuantityKind]
    cues: list[str] = Field(default_factory=list)
    movement_verbs: bool = False
    time_sensitive: bool = False
    after: bool = False
    timeless: bool = False
    signed: bool = False
    growth: str | None = None
    scopes: dict[str, list[str]] = Field(default_factory=dict)


class Directions(_Strict):
    up: list[str]
    down: list[str]


class MetricsFile(_Strict):
    metrics: list[MetricRule]
    directions: Directions
    attribution_verbs: list[str]
    attribution_phrases: list[str]
    forecast_words: list[str]

    @field_validator("metrics")
    @classmethod
    def _growth_targets_exist(cls, metrics: list[MetricRule]) -> list[MetricRule]:
        ids = {m.id for m in metrics}
        for m in metrics:
            if m.growth and m.growth not in ids:
                raise ValueError(f"metric {m.id!r}: growth metric {m.growth!r} is not defined")
        return metrics


class Thresholds(_Strict):
    # Finite and in range: `.nan` compares false with everything, so a NaN or negative
    # threshold silently turns every check off (an error became a warning, exit 1 -> 0).
    scale_ratio: float = Field(10.0, gt=1.0, allow_inf_nan=False)
    approx_tolerance: float = Field(0.05, ge=0.0, lt=1.0, allow_inf_nan=False)
    rounding_ulps: float = Field(1.0, ge=0.0, le=1000.0, allow_inf_nan=False)
    short_window_days: int = Field(7, ge=0, le=3660)


class SeverityFile(_Strict):
    severity: dict[str, Severity]
    thresholds: Thresholds = Thresholds()


def _node_line(node: yaml.Node, loc: tuple) -> int:
    """Line (1-based) of the YAML node at a pydantic error location, as deep as it goes."""
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def load_yaml_model(path: Path, model: type[BaseModel]) -> BaseModel:
    """Parse a YAML rules file into `model`, turning every failure into a RulesError."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(shown, "rules file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(shown, f"cannot read rules file: {exc}") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RulesError(shown, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    if node is None:
        raise RulesError(shown, "rules file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        raise RulesError(shown, f"{where}: {msg}" if where else msg, _node_line(node, loc)) from None


class Rules:
    """Everything the pipeline reads from a rules directory, loaded once per run."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise RulesError(str(directory), "rules directory not found")
        self.entities: EntitiesFile = load_yaml_model(self.directory / "entities.yaml", EntitiesFile)
        self.metrics: MetricsFile = load_yaml_model(self.directory / "metrics.yaml", MetricsFile)
        self.policy: SeverityFile = load_yaml_model(self.directory / "severity.yaml", SeverityFile)
        # Imported here so that a broken units file is reported like any other rules file.
        from factcheck.units import load_units

        self.units = load_units(self.directory)

    @cached_property
    def metric_by_id(self) -> dict[str, MetricRule]:
        return {m.id: m for m in self.metrics.metrics}

    @cached_property
    def fingerprint(self) -> str:
        return rules_fingerprint(self.directory)

    def severity(self, code: str) -> Severity:
        return self.policy.severity.get(code, "warning")


def rules_fingerprint(directory: Path) -> str:
    """Hash of every rules file: caches keyed by it go stale when an editor tunes a rule."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_rules(directory: Path | str | None = None) -> Rules:
    return Rules(Path(directory) if directory else DEFAULT_RULES_DIR)
