"""Settings: defaults, then `[tool.factcheck]` / `.factcheck.toml`, then command-line flags.

The file is found by walking up from the current folder, like ruff and sqlfluff: in each
folder `.factcheck.toml` (keys at the top level) wins over `pyproject.toml`, and a
`pyproject.toml` without a `[tool.factcheck]` table is passed over. Relative paths in a
file are relative to that file's folder, so a setting means the same whichever subfolder
factcheck runs from. Every value remembers where it came from for `factcheck config`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError

FORMATS = ("text", "json", "jsonl", "sarif", "github", "html")
FAIL_ON = ("error", "warning", "info", "never")
NLI_MODES = ("off", "auto", "required")
SEVERITIES = ("error", "warning", "info")
CONFIG_FILES = (".factcheck.toml", "pyproject.toml")

DEFAULT = "default"


class ConfigError(FactcheckError):
    """A configuration file or a setting flag is malformed."""


@dataclass(frozen=True)
class Setting:
    """How one key is read from TOML; `kind` picks the check in `_coerce`."""

    kind: str
    default: Any = None
    choices: tuple[str, ...] = ()


# The keys of [tool.factcheck]; each has a command-line flag of the same name.
SETTINGS: dict[str, Setting] = {
    "format": Setting("choice", "text", FORMATS),
    "fail_on": Setting("choice", "error", FAIL_ON),
    "select": Setting("codes", None),  # None: every code
    "ignore": Setting("codes", ()),
    "severity": Setting("severity", {}),  # never mutated: Config.set merges into a copy
    "rules": Setting("path", None),  # None: the project's rules/
    "nli": Setting("choice", "auto", NLI_MODES),
    "nli_model": Setting("str", None),
    "cache": Setting("bool", True),  # the flag is --no-cache
    "cache_dir": Setting("path", None),  # None: .factcheck/ beside the config file, else here
    "date": Setting("date", None),
    "baseline": Setting("path", None),
}


@dataclass
class Config:
    """The effective settings, read as attributes (`config.fail_on`), and where each came from."""

    values: dict[str, Any] = field(default_factory=lambda: {k: s.default for k, s in SETTINGS.items()})
    sources: dict[str, str] = field(default_factory=lambda: {k: DEFAULT for k in SETTINGS})
    file: Path | None = None  # the configuration file read, if any
    # severity overrides come from several places code by code
    severity_sources: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def root(self) -> Path:
        """Where relative defaults live: the config file's folder, else the current one."""
        return self.file.parent if self.file else Path.cwd()

    @property
    def cache_path(self) -> Path | None:
        if not self.values["cache"]:
            return None
        return Path(self.values["cache_dir"] or self.root / ".factcheck")

    def set(self, key: str, value: Any, source: str) -> None:
        if key == "severity":
            merged = dict(self.values["severity"])
            for code, level in value.items():
                merged[code] = level
                self.severity_sources[code] = source
            value = merged
        self.values[key] = value
        self.sources[key] = source


# --------------------------------------------------------------------------- finding codes


def known_codes() -> dict[str, tuple[str, str]]:
    # Imported late: `factcheck --help` should not load the comparison policies.
    from factcheck.compare import FINDING_CODES

    return FINDING_CODES


def expand_codes(items: list[str] | tuple[str, ...], where: str) -> list[str]:
    """Codes named by `items`: exact codes, prefixes (`FC10`) or `ALL`; unknown ones are errors."""
    codes = known_codes()
    out: list[str] = []
    for item in items:
        name = item.strip().upper()
        hits = list(codes) if name == "ALL" else [c for c in codes if c.startswith(name)] if name else []
        if not hits:
            raise ConfigError(where, f"unknown finding code {item!r} (known: {', '.join(codes)}, or ALL)")
        out.extend(c for c in hits if c not in out)
    return out


def selected_codes(config: Config) -> frozenset[str]:
    chosen = expand_codes(config.select, "select") if config.select is not None else list(known_codes())
    return frozenset(chosen) - frozenset(expand_codes(config.ignore, "ignore"))


# --------------------------------------------------------------------------- reading files


def find_config_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    # Looked for before parsing so that a broken pyproject.toml that has nothing to do
    # with factcheck is passed over rather than failing every run.
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*factcheck\s*[\].]|^\s*tool\s*\.\s*factcheck\s*[.=]", text, re.M) is not None


def _read_table(path: Path) -> dict[str, Any]:
    shown = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(shown, f"cannot read config file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(shown, "config file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)$", message)
        line = int(match.group(1)) if match else None
        raise ConfigError(shown, f"invalid TOML: {message[: match.start()].strip() if match else message}", line) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("factcheck", {})
        if not isinstance(table, dict):
            raise ConfigError(shown, "[tool.factcheck] must be a table")
        return table
    return data


def _coerce(key: str, value: Any, where: str, base: Path) -> Any:
    setting = SETTINGS[key]
    kind = setting.kind

    def bad(expected: str) -> ConfigError:
        return ConfigError(where, f"{key}: expected {expected}, not {value!r}")

    if kind == "choice":
        if value not in setting.choices:
            raise bad("one of " + ", ".join(setting.choices))
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise bad("a string")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if kind == "path":
        if not isinstance(value, str) or not value:
            raise bad("a path")
        return base / Path(value).expanduser()
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise bad("a date (YYYY-MM-DD)") from None
    if kind == "codes":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of finding codes")
        return expand_codes(value, f"{where}: {key}")
    if kind == "severity":
        if not isinstance(value, dict):
            raise bad("a table of CODE = level")
        out = {}
        for code, level in value.items():
            if code.upper() not in known_codes():
                raise ConfigError(where, f"severity: unknown finding code {code!r} (known: {', '.join(known_codes())})")
            if level not in SEVERITIES:
                raise ConfigError(where, f"severity.{code}: expected one of {', '.join(SEVERITIES)}, not {level!r}")
            out[code.upper()] = level
        return out
    raise AssertionError(kind)  # pragma: no cover


def apply_file(config: Config, path: Path) -> None:
    table = _read_table(path)
    shown = str(path)
    section = "[tool.factcheck] " if path.name == "pyproject.toml" else ""
    for key, value in table.items():
        if key not in SETTINGS:
            hint = ""
            if key == "tool" and path.name != "pyproject.toml":
                hint = f" (in {path.name} the keys go at the top level, without [tool.factcheck])"
            elif key.replace("-", "_") in SETTINGS:
                hint = f" (did you mean {key.replace('-', '_')!r}?)"
            raise ConfigError(shown, f"{section}unknown key {key!r}{hint}")
        config.set(key, _coerce(key, value, shown, path.parent), shown)
    config.file = path


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Defaults overlaid with the config file found from `start` (or the `explicit` one)."""
    config = Config()
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(str(explicit), "config file not found")
        apply_file(config, explicit)
    else:
        found = find_config_file((start or Path.cwd()).resolve())
        if found is not None:
            apply_file(config, found)
    return config


def parse_severity_flag(text: str) -> dict[str, str]:
    """`FC103=error` from the command line."""
    code, sep, level = text.partition("=")
    if not sep or level.strip() not in SEVERITIES:
        raise ConfigError("--severity", f"expected CODE=LEVEL with LEVEL one of {', '.join(SEVERITIES)}, not {text!r}")
    return {c: level.strip() for c in expand_codes([code], "--severity")}


# --------------------------------------------------------------------------- showing


def _toml_value(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (Path, str)):
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def describe(config: Config) -> str:
    """The effective settings as TOML-like lines, each with where it came from."""
    out = [f"# config file: {config.file if config.file else '(none found)'}"]
    width = max(len(k) for k in SETTINGS)
    for key in SETTINGS:
        if key == "severity":
            continue
        value = config.values[key]
        if key == "cache_dir" and value is None:
            value = config.root / ".factcheck"
        elif key == "select" and value is None:
            value = list(known_codes())
        elif key == "rules" and value is None:
            from factcheck.rules import DEFAULT_RULES_DIR

            value = DEFAULT_RULES_DIR
        out.append(f"{key:<{width}} = {_toml_value(value):<24}  # {config.sources[key]}")
    out.append("")
    out.append("[severity]  # overrides of rules/severity.yaml")
    for code, level in sorted(config.severity.items()):
        out.append(f"{code} = {_toml_value(level):<{width + 19}}  # {config.severity_sources[code]}")
    if not config.severity:
        out.append("# (none)")
    return "\n".join(out) + "\n"
