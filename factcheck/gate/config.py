"""Settings: defaults, then `[tool.factcheck]` / `.factcheck.toml`, then the environment,
then command-line flags.

The file is found by walking up from the current folder, like ruff and sqlfluff: in each
folder `.factcheck.toml` (keys at the top level) wins over `pyproject.toml`, and a
`pyproject.toml` without a `[tool.factcheck]` table is passed over. Relative paths in a
file are relative to that file's folder, so a setting means the same whichever subfolder
factcheck runs from. Every value remembers where it came from for `factcheck config`.

A config file is part of the checkout, which a pull request may edit (factcheck.trust).
It sets policy a reviewer reads in the diff; it cannot choose where or how widely the run
executes (`engine`, `scheduler`, `jobs` come from flags or FACTCHECK_* variables only, and
are ignored with a warning in a file), and under CI its `cache_dir` is not used.

`Settings` is the one object the rest of the code reads; `load_settings` builds it from
a file and flags, and a Python caller may also build one directly (`Settings(nli="off")`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from factcheck.codes import FindingCode, finding_codes
from factcheck.cores import usable_cores
from factcheck.errors import FactcheckError
from factcheck.ingest import published_out_of_range
from factcheck.models import SEVERITIES, Severity
from factcheck.report import FORMATS as RENDERERS
from factcheck.report import NLI_HOW
from factcheck.rules import DEFAULT_RULES_DIR
from factcheck.textguard import read_small_text
from factcheck.trust import in_ci, project_cache_dir

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
    """How one key is read from TOML or a flag; `kind` picks the check in `_coerce`.

    `env` names the variable that sets it; a setting with one is the runner's choice
    alone (where and how widely the run executes), so a config file does not set it."""

    kind: str
    choices: tuple[str, ...] = ()
    env: str | None = None


# Integer limits stop here: past it a size means "no limit", and the operating system's
# sizes (ssize_t) overflow long before a thousand-digit number would be read.
INT_MAX = 10**15

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
    "jobs": Setting("jobs", env="FACTCHECK_JOBS"),
    "engine": Setting("choice", ENGINES, env="FACTCHECK_ENGINE"),
    "scheduler": Setting("str", env="FACTCHECK_SCHEDULER"),
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
    warnings: tuple[str, ...] = field(default=(), compare=False)  # what reading the config passed over

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
            if setting.kind == "int" and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INT_MAX):
                raise ConfigError("settings", f"{key}: expected a positive integer of at most {INT_MAX:,}, not {value!r}")
            if setting.kind == "date" and value is not None and published_out_of_range(value):
                raise ConfigError("settings", f"{key}: {published_out_of_range(value)}")

    def source(self, key: str) -> str:
        return self.sources.get(key, DEFAULT)

    @property
    def root(self) -> Path:
        """Where relative defaults live: the config file's folder, else the current one."""
        return self.file.parent if self.file else Path.cwd()

    @property
    def cache_path(self) -> Path | None:
        """Where the cache lives: `cache_dir`, else `.factcheck/` beside the config file; under
        CI the user's cache folder, so that a run writes nothing inside the checkout."""
        if not self.cache:
            return None
        if self.cache_dir is None:
            return project_cache_dir(self.root) if in_ci() else self.root / ".factcheck"
        if self.sources.get("cache_dir") == str(self.file):
            return Path(self.cache_dir)  # confined to the checkout, so links in it are refused
        # Named on the command line or by a Python caller: their folder, links and all.
        return Path(self.cache_dir).resolve()

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


# A [tool.factcheck] table in any of TOML's spellings: a header (its name bare or quoted),
# a dotted key, or an inline table under `tool`.
_TOOL_TABLE = re.compile(
    r"""^\s*\[\s*tool\s*\.\s*(?:factcheck|"factcheck"|'factcheck')\s*[\].]"""
    r"""|^\s*tool\s*\.\s*(?:factcheck|"factcheck"|'factcheck')\s*[.=]"""
    r"""|^\s*tool\s*=\s*\{.*\b(?:factcheck|"factcheck"|'factcheck')\s*[.=]""",
    re.M,
)


def _has_tool_table(path: Path) -> bool:
    # A pyproject.toml that does not parse is passed over unless it mentions factcheck:
    # a broken file that has nothing to do with factcheck must not fail every run.
    try:
        text = read_small_text(path)
    except (OSError, UnicodeDecodeError):
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except (tomllib.TOMLDecodeError, RecursionError):
        return _TOOL_TABLE.search(text) is not None
    return isinstance(tool, dict) and "factcheck" in tool


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
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INT_MAX:
            raise bad(f"a positive integer of at most {INT_MAX:,}")
        return value
    if kind == "jobs":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad("a whole number of at least 1")
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        elif not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise bad("a date (YYYY-MM-DD)") from None
        if published_out_of_range(value):
            raise ConfigError(where, f"{key}: {published_out_of_range(value)}")
        return value
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


def _file_values(path: Path, warnings: list[str]) -> dict[str, Any]:
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
        env = SETTINGS[key].env
        if env is not None:
            warnings.append(
                f"{shown}: {key} is ignored: the engine, the scheduler and the number of workers are"
                f" chosen on the command line ({flag_name(key)}) or in the environment ({env}), never by a config file"
            )
            continue
        if key == "cache_dir" and in_ci():
            warnings.append(
                f"{shown}: cache_dir is ignored under CI, where the cache lives in the user's cache folder"
                " and nothing is written inside the checkout (give --cache-dir on the command line to choose)"
            )
            continue
        values[key] = _coerce(key, value, shown, path.parent)
    return values


def _env_values() -> dict[str, Any]:
    """Settings from FACTCHECK_* variables, read as their flags are."""
    values = {}
    for key, setting in SETTINGS.items():
        text = os.environ.get(setting.env) if setting.env else None
        if not text:
            continue
        if setting.kind == "jobs":
            if not text.strip().isdigit() or not 1 <= int(text) <= INT_MAX:
                raise ConfigError(setting.env, f"expected a whole number of at least 1, not {text!r}")
            values[key] = int(text)
        else:
            values[key] = _coerce(key, text, setting.env, Path.cwd())  # type: ignore[arg-type]
    return values


def _passed_over(found: Path) -> list[str]:
    """A [tool.factcheck] table in the pyproject.toml beside the .factcheck.toml read: it
    has no effect, and a user who edits it should be told so."""
    beside = found.parent / "pyproject.toml"
    if found.name != ".factcheck.toml" or not beside.is_file() or not _has_tool_table(beside):
        return []
    return [f"{beside}: [tool.factcheck] is not read: {found.name} in the same folder comes first"]


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
    if kind == "int" and (not isinstance(value, int) or not 1 <= value <= INT_MAX):
        raise ConfigError(flag, f"expected a positive integer of at most {INT_MAX:,}, not {value!r}")
    if kind == "date" and published_out_of_range(value):
        raise ConfigError(flag, published_out_of_range(value))  # type: ignore[arg-type]
    return value


def load_settings(
    *, config_file: Path | None = None, start: Path | None = None, flags: Mapping[str, Any] | None = None
) -> Settings:
    """Defaults, overlaid with the config file found from `start` (or `config_file`), then `flags`.

    `flags` maps setting keys to values as argparse parses them; None means "not given".
    """
    settings = Settings()
    warnings: list[str] = []
    if config_file is not None:
        if not config_file.exists():
            raise ConfigError(str(config_file), "config file not found")
        found: Path | None = config_file
    else:
        found = find_config_file((start or Path.cwd()).resolve())
        warnings += _passed_over(found) if found is not None else []
    if found is not None:
        settings = dataclasses.replace(settings.updated(_file_values(found, warnings), str(found)), file=found)
    from_env = _env_values()
    if from_env:
        settings = settings.updated(from_env, {key: f"environment ({SETTINGS[key].env})" for key in from_env})
    given = {key: _flag_value(key, value) for key, value in (flags or {}).items() if value is not None}
    if given:
        settings = settings.updated(given, {key: f"command line ({flag_name(key)})" for key in given})
    return dataclasses.replace(settings, warnings=tuple(warnings))


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
        if key == "cache_dir":
            value = settings.cache_path or value or settings.root / ".factcheck"
        elif key == "jobs":
            value = min(value or usable_cores(), usable_cores())  # as the engines cap it
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
