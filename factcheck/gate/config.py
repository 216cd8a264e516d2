"""Settings: defaults, then `[tool.factcheck]` / `.factcheck.toml`, then command-line flags.

The file is found by walking up from the current folder, like ruff and sqlfluff: in each
folder `.factcheck.toml` (keys at the top level) wins over `pyproject.toml`, and a
`pyproject.toml` without a `[tool.factcheck]` table is passed over. Relative paths in a
file are relative to that file's folder, so a setting means the same whichever subfolder
factcheck runs from. Every value remembers where it came from for `factcheck config`.

`Settings` is the one object the rest of the code reads; `load_settings` builds it from
a file and flags, and a Python caller may also build one directly (`Settings(nli="off")`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from factcheck.codes import FindingCode, finding_codes
from factcheck.cores import usable_cores
from factcheck.errors import FactcheckError
from factcheck.models import SEVERITIES, Severity
from factcheck.report import FORMATS as RENDERERS
from factcheck.report import NLI_HOW
from factcheck.rules import DEFAULT_RULES_DIR
from factcheck.textguard import read_small_text

NLIMode = Literal["off", "auto", "required"]
FailOn = Literal[Severity, "never"]

FORMATS: tuple[str, ...] = tuple(RENDERERS)
NLI_MODES: tuple[str, ...] = get_args(NLIMode)
ENGINES: tuple[str, ...] = ("local", "dask")
FAIL_ON: tuple[str, ...] = get_args(FailOn)
CONFIG_FILES = (".factcheck.toml", "pyproject.toml")

DEFAULT = "default"


class ConfigError(FactcheckError):
    """A configuration file or a setting flag is malformed."""


@dataclass(frozen=True)
class Setting:
    """How one key is read from TOML or a flag; `kind` picks the check in `_coerce`."""

    kind: str
    choices: tuple[str, ...] = ()


# The keys of [tool.factcheck]; each is a field of Settings and a command-line flag.
SETTINGS: dict[str, Setting] = {
    "format": Setting("choice", FORMATS),
    "fail_on": Setting("choice", FAIL_ON),
    "select": Setting("codes"),
    "ignore": Setting("codes"),
    "severity": Setting("severity"),
    "rules": Setting("path"),
    "nli": Setting("choice", NLI_MODES),
    "nli_model": Setting("str"),
    "cache": Setting("bool"),  # the flag is --no-cache
    "cache_dir": Setting("path"),
    "date": Setting("date"),
    "baseline": Setting("path"),
    "exclude": Setting("globs"),
    "max_file_bytes": Setting("int"),
    "max_sentence_chars": Setting("int"),
    "jobs": Setting("jobs"),
    "engine": Setting("choice", ENGINES),
    "scheduler": Setting("str"),
}

# Keys naming files or folders factcheck reads or writes. From a config file (which a pull
# request may edit) each must stay inside the folder holding that file; a command-line
# flag is the workflow author's own choice and may point anywhere.
CONFINED = ("rules", "cache_dir", "baseline")


@dataclass(frozen=True)
class Settings:
    """The effective settings of a run, and where each came from."""

    format: str = "text"  # a key of factcheck.report.FORMATS
    fail_on: FailOn = "error"
    select: tuple[str, ...] | None = None  # None: every code
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # overrides of rules/severity.yaml
    rules: Path | None = None  # None: the project's rules/
    # Off unless asked for: no NLI model installs from a package index (README, NLI), so
    # "auto" by default warned on every run that it had none.
    nli: NLIMode = "off"
    nli_model: str | None = None
    cache: bool = True
    cache_dir: Path | None = None  # None: .factcheck/ beside the config file, else here
    date: dt.date | None = None  # publication date for articles that carry none
    baseline: Path | None = None
    exclude: tuple[str, ...] = ()  # globs of files and folders not to read
    max_file_bytes: int = 5_000_000  # a larger article is reported and skipped, never cut
    max_sentence_chars: int = 20_000  # so is one whose sentence is longer than this
    jobs: int | None = None  # worker processes of the local engine; None: the usable cores
    engine: str = "local"  # "dask": run on a Dask cluster (factcheck.engines.dask)
    scheduler: str | None = None  # a Dask scheduler's address; None: start a LocalCluster

    file: Path | None = field(default=None, compare=False)  # the configuration file read, if any
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)  # key -> where from
    severity_sources: Mapping[str, str] = field(default_factory=dict, compare=False)  # code -> where from

    def __post_init__(self) -> None:
        # A Python caller builds Settings directly: the same checks as a config file, once.
        for key, setting in SETTINGS.items():
            value = getattr(self, key)
            if setting.kind == "choice" and value not in setting.choices:
                raise ConfigError("settings", f"{key}: expected one of {', '.join(setting.choices)}, not {value!r}")
            if setting.kind in ("codes", "globs") and isinstance(value, (list, str)):
                object.__setattr__(self, key, tuple([value] if isinstance(value, str) else value))
            if setting.kind == "jobs" and value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ConfigError("settings", f"{key}: expected a whole number of at least 1, not {value!r}")
            if setting.kind == "path" and isinstance(value, str):
                object.__setattr__(self, key, Path(value))
            if setting.kind == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ConfigError("settings", f"{key}: expected a positive integer, not {value!r}")

    def source(self, key: str) -> str:
        return self.sources.get(key, DEFAULT)

    @property
    def root(self) -> Path:
        """Where relative defaults live: the config file's folder, else the current one."""
        return self.file.parent if self.file else Path.cwd()

    @property
    def cache_path(self) -> Path | None:
        if not self.cache:
            return None
        return Path(self.cache_dir or self.root / ".factcheck")

    @property
    def codes(self) -> frozenset[str]:
        """The codes this run reports (select minus ignore); an unknown code is an error."""
        chosen = expand_codes(self.select, "select") if self.select is not None else list(known_codes())
        return frozenset(chosen) - frozenset(expand_codes(self.ignore, "ignore"))

    def excluded(self, display: str) -> bool:
        """Whether --exclude names this file or one of its folders (by name or by path)."""
        parts = Path(display).parts
        candidates = [display, *parts, *(Path(*parts[: i + 1]).as_posix() for i in range(len(parts)))]
        return any(fnmatch.fnmatch(c, glob) for glob in self.exclude for c in candidates)

    def updated(self, values: Mapping[str, Any], source: str | Mapping[str, str]) -> Settings:
        """A copy with `values` set; `source` says where from, for all keys or key by key."""
        sources = dict(self.sources)
        severity_sources = dict(self.severity_sources)
        changes = dict(values)
        for key, value in values.items():
            where = source if isinstance(source, str) else source[key]
            if key == "severity":  # overrides accumulate code by code across file and flags
                changes[key] = {**self.severity, **value}
                severity_sources.update(dict.fromkeys(value, where))
            sources[key] = where
        return dataclasses.replace(self, **changes, sources=sources, severity_sources=severity_sources)


# --------------------------------------------------------------------------- finding codes


def known_codes() -> dict[str, FindingCode]:
    return finding_codes()


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
        text = read_small_text(path)
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*factcheck\s*[\].]|^\s*tool\s*\.\s*factcheck\s*[.=]", text, re.M) is not None


def _read_table(path: Path) -> dict[str, Any]:
    shown = str(path)
    try:
        data = tomllib.loads(read_small_text(path))
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ConfigError(shown, "invalid TOML: nested too deeply") from None
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
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(shown, "[tool] must be a table")
        table = tool.get("factcheck", {})
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
        if not isinstance(value, str) or not value or "\0" in value:
            raise bad("a path")
        path = base / Path(value)
        if key in CONFINED and not _inside(path, base):
            raise ConfigError(
                where,
                f"{key}: {value!r} is outside the folder holding the config file ({base});"
                f" give it on the command line ({flag_name(key)}) instead",
            )
        return path
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad("a positive integer")
    if kind == "jobs":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad("a whole number of at least 1")
        return value
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
        return tuple(expand_codes(value, f"{where}: {key}"))
    if kind == "globs":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise bad("a list of glob patterns")
        return tuple(value)
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


def _inside(path: Path, folder: Path) -> bool:
    # resolve() follows symlinks too: a committed `cache -> /home/runner` link is outside.
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def _file_values(path: Path) -> dict[str, Any]:
    table = _read_table(path)
    shown = str(path)
    section = "[tool.factcheck] " if path.name == "pyproject.toml" else ""
    values = {}
    for key, value in table.items():
        if key not in SETTINGS:
            hint = ""
            if key == "tool" and path.name != "pyproject.toml":
                hint = f" (in {path.name} the keys go at the top level, without [tool.factcheck])"
            elif key.replace("-", "_") in SETTINGS:
                hint = f" (did you mean {key.replace('-', '_')!r}?)"
            raise ConfigError(shown, f"{section}unknown key {key!r}{hint}")
        values[key] = _coerce(key, value, shown, path.parent)
    return values


def flag_name(key: str) -> str:
    return "--no-cache" if key == "cache" else "--" + key.replace("_", "-")


def _flag_value(key: str, value: Any) -> Any:
    """A flag's parsed value as the setting holds it: "FC101,FC102" -> ("FC101", "FC102")."""
    kind = SETTINGS[key].kind
    flag = flag_name(key)
    if kind == "codes":
        return tuple(expand_codes([code for item in value for code in item.split(",") if code.strip()], flag))
    if kind == "severity":
        return {code: level for item in value for code, level in parse_severity_flag(item).items()}
    if kind == "globs":
        return tuple(value)
    if kind == "path":
        return Path(value)
    if kind == "int" and (not isinstance(value, int) or value < 1):
        raise ConfigError(flag, f"expected a positive integer, not {value!r}")
    return value


def load_settings(
    *, config_file: Path | None = None, start: Path | None = None, flags: Mapping[str, Any] | None = None
) -> Settings:
    """Defaults, overlaid with the config file found from `start` (or `config_file`), then `flags`.

    `flags` maps setting keys to values as argparse parses them; None means "not given".
    """
    settings = Settings()
    if config_file is not None:
        if not config_file.exists():
            raise ConfigError(str(config_file), "config file not found")
        found: Path | None = config_file
    else:
        found = find_config_file((start or Path.cwd()).resolve())
    if found is not None:
        settings = dataclasses.replace(settings.updated(_file_values(found), str(found)), file=found)
    given = {key: _flag_value(key, value) for key, value in (flags or {}).items() if value is not None}
    if given:
        settings = settings.updated(given, {key: f"command line ({flag_name(key)})" for key in given})
    return settings


def parse_severity_flag(text: str) -> dict[str, str]:
    """`FC103=error` from the command line."""
    code, sep, level = text.partition("=")
    if not sep or level.strip() not in SEVERITIES:
        raise ConfigError("--severity", f"expected CODE=LEVEL with LEVEL one of {', '.join(SEVERITIES)}, not {text!r}")
    return {c: level.strip() for c in expand_codes([code], "--severity")}


# --------------------------------------------------------------------------- showing


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (Path, str)):
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def describe(settings: Settings) -> str:
    """The effective settings as TOML-like lines, each with where it came from."""
    out = [f"# config file: {settings.file if settings.file else '(none found)'}"]
    width = max(len(k) for k in SETTINGS)
    unset = []
    for key in SETTINGS:
        if key == "severity":
            continue
        value = getattr(settings, key)
        if value is None and key not in ("cache_dir", "jobs", "select", "rules"):
            unset.append(key)  # TOML has no null: a key left out is a key not set
            continue
        if key == "cache_dir" and value is None:
            value = settings.root / ".factcheck"
        elif key == "jobs" and value is None:
            value = usable_cores()
        elif key == "select" and value is None:
            value = list(known_codes())
        elif key == "rules" and value is None:
            value = DEFAULT_RULES_DIR
        where = settings.source(key)
        if key == "nli" and value == "off":
            where += f"; {NLI_HOW}"
        out.append(f"{key:<{width}} = {_toml_value(value):<24}  # {where}")
    if unset:
        out.append(f"# not set: {', '.join(unset)}")
    out.append("")
    out.append("[severity]  # overrides of rules/severity.yaml")
    for code, level in sorted(settings.severity.items()):
        out.append(f"{code} = {_toml_value(level):<{width + 19}}  # {settings.severity_sources[code]}")
    if not settings.severity:
        out.append("# (none)")
    return "\n".join(out) + "\n"
