"""Command line: `factcheck check`, `factcheck claims`, `factcheck config`, `factcheck schema`.

Exit status follows linters (proselint, ruff): 0 nothing at or above --fail-on, 1
findings at or above it, 2 usage or input error. Errors are one line naming the file;
a traceback is a bug.

Settings come from defaults, then the config file (factcheck/config.py), then flags; the
flags that mirror a setting therefore default to None, meaning "not given".
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import json
import sys
from pathlib import Path

from factcheck import __version__
from factcheck.config import (
    FAIL_ON,
    FORMATS,
    NLI_MODES,
    SETTINGS,
    Config,
    describe,
    expand_codes,
    load_config,
    parse_severity_flag,
    selected_codes,
)
from factcheck.errors import FactcheckError
from factcheck.models import SEVERITY_RANK


class ExitStatus(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other usage error
        self.exit(ExitStatus.USAGE, f"factcheck: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _settings_parser(*, check: bool) -> _Parser:
    """Flags that mirror config keys; `check` adds those only a report uses."""
    p = _Parser(add_help=False)
    p.add_argument("--config", type=Path, metavar="FILE", help="read this config file instead of looking for one")
    p.add_argument("--rules", metavar="DIR", help="rules directory (default: the project's rules/)")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date for files that carry none")
    p.add_argument("--cache-dir", metavar="DIR", help="where the cache lives (default: .factcheck/)")
    p.add_argument("--no-cache", dest="cache", action="store_const", const=False, help="neither read nor write the cache")
    if check:
        p.add_argument("--format", choices=FORMATS, help="report format (default: text)")
        p.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that makes the exit status 1 (default: error)")
        p.add_argument("--select", action="append", metavar="CODES", help="report only these codes or prefixes, comma-separated")
        p.add_argument("--ignore", action="append", metavar="CODES", help="never report these codes or prefixes, comma-separated")
        p.add_argument("--severity", action="append", metavar="CODE=LEVEL", help="override a code's severity (repeatable)")
        p.add_argument("--nli", choices=NLI_MODES, help="score flagged pairs with an NLI model (default: auto)")
        p.add_argument("--nli-model", metavar="PATH_OR_ID", help="NLI model: local folder or hub id")
        p.add_argument("--baseline", metavar="FILE", help="do not report findings listed in this baseline file")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factcheck", description="Find numbers that disagree across financial articles.")
    parser.add_argument("--version", action="version", version=f"factcheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    paths = _Parser(add_help=False)
    paths.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (.md, .markdown, .txt, .html, .htm)")

    check = sub.add_parser("check", parents=[paths, _settings_parser(check=True)], help="report conflicting figures")
    check.add_argument(
        "--against",
        nargs="+",
        metavar="CORPUS",
        help="compare the PATHs (drafts) with these published articles; report only findings that involve a draft",
    )
    check.add_argument("--changed-since", metavar="REV", help="report only findings that involve a file changed since this git revision")
    check.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE, then report as if --baseline FILE")
    check.add_argument("--output-file", type=Path, metavar="FILE", help="write the report to FILE instead of standard output")

    claims = sub.add_parser("claims", parents=[paths, _settings_parser(check=False)], help="list every extracted claim, normalised")
    claims.add_argument("--format", choices=["text", "json"], default="text")

    sub.add_parser(
        "config", parents=[_settings_parser(check=True)], help="print the effective configuration and where each value comes from"
    )
    sub.add_parser("schema", help="print the JSON Schema of the json report")
    return parser


# --------------------------------------------------------------------------- settings


def _flag(key: str) -> str:
    return "--no-cache" if key == "cache" else "--" + key.replace("_", "-")


def _split_codes(values: list[str]) -> list[str]:
    return [code for value in values for code in value.split(",") if code.strip()]


def effective_config(args: argparse.Namespace) -> Config:
    config = load_config(explicit=args.config)
    for key, setting in SETTINGS.items():
        value = getattr(args, key, None)
        if value is None or (args.command == "claims" and key == "format"):
            continue
        flag = _flag(key)
        if setting.kind == "codes":
            value = expand_codes(_split_codes(value), flag)
        elif setting.kind == "severity":
            value = {code: level for item in value for code, level in parse_severity_flag(item).items()}
        elif setting.kind == "path":
            value = Path(value)
        config.set(key, value, f"command line ({flag})")
    return config


# --------------------------------------------------------------------------- commands


def _print_warnings(warnings: list[str]) -> None:
    for w in dict.fromkeys(warnings):
        print(f"factcheck: warning: {w}", file=sys.stderr)


def _run(paths: list[str], config: Config, rules, warnings: list[str], *, compare: bool):
    """collect_claims (and find_conflicts) with the cache open around them."""
    from factcheck.cache import open_cache
    from factcheck.pipeline import collect_claims, find_conflicts

    cache = open_cache(config.cache_path)
    try:
        result = collect_claims(paths, rules, config.date, cache)
        if compare:
            result.findings, result.pairs_compared = find_conflicts(result.claims, rules, cache)
        return result
    finally:
        if cache is not None:
            cache.close()
            warnings.extend(cache.warnings)


def _run_claims(args, config: Config) -> int:
    from factcheck.cache import LazyRules

    warnings: list[str] = []
    result = _run(args.paths, config, LazyRules(config.rules), warnings, compare=False)
    _print_warnings(warnings + result.warnings)
    if args.format == "json":
        payload = {
            "schema_version": "1",
            "tool": {"name": "factcheck", "version": __version__},
            "claims": [c.model_dump(mode="json") for c in result.claims],
            "errors": [e.model_dump(mode="json") for e in result.errors],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        from factcheck.compare.base import describe_claim
        from factcheck.periods import describe

        for c in result.claims:
            about = " · ".join(x or "?" for x in (c.subject, c.metric))
            extra = f"; per {c.attribution}" if c.attribution else ""
            extra += f"; scope {c.scope}" if c.scope else ""
            print(f"{c.path}:{c.line}:{c.column}: {c.text!r} = {describe_claim(c)} [{about}; {describe(c.period)}{extra}]")
        for e in result.errors:
            print(f"{e.path}{':' + str(e.line) if e.line else ''}: error: {e.message}", file=sys.stderr)
    return ExitStatus.USAGE if result.errors else ExitStatus.OK


def _scope(args, documents, changed: frozenset[str] | None) -> frozenset[str] | None:
    """Display paths whose findings are reported; None for all."""
    scope = None
    if args.against:
        from factcheck.ingest import discover

        # Drafts come first on the combined path list, so they keep these display paths.
        scope = frozenset(display for _, display in discover(args.paths)[0])
    if changed is not None:
        from factcheck.changes import in_scope

        touched = in_scope([d.path for d in documents], changed)
        scope = touched if scope is None else scope & touched
    return scope


def _nli(findings, config: Config, rules, stats: dict, warnings: list[str]):
    if config.nli == "off":
        stats.update(nli=None, nli_reason="disabled (--nli off)")
        return findings
    try:
        from factcheck.nli import NLIUnavailable, apply_nli
    except ImportError as exc:  # the NLI stage is optional; its absence must not stop a check
        if config.nli == "required":
            raise FactcheckError("--nli required", f"the NLI stage cannot be loaded: {exc}") from None
        stats.update(nli=None, nli_reason=f"unavailable: {exc}")
        return findings
    cache = config.cache_path
    try:
        findings, nli_stats, nli_warnings = apply_nli(
            findings,
            mode=config.nli,
            model=config.nli_model,
            rules_dir=rules.directory,
            cache_path=cache / "nli.sqlite" if cache else None,
        )
    except NLIUnavailable as exc:
        raise FactcheckError("--nli required", str(exc)) from None
    stats.update(nli_stats)
    warnings.extend(nli_warnings)
    return findings


def _run_check(args, config: Config) -> int:
    from factcheck.baseline import load_baseline, write_baseline
    from factcheck.cache import LazyRules
    from factcheck.changes import changed_files
    from factcheck.compare import FINDING_CODES
    from factcheck.pipeline import build_report, filter_findings, sort_findings
    from factcheck.report import FORMATS as RENDERERS
    from factcheck.report.text import use_colour
    from factcheck.suppress import unknown_code_warnings

    rules = LazyRules(config.rules)
    codes = selected_codes(config)
    changed = changed_files(args.changed_since) if args.changed_since else None  # a bad REV fails before the work
    warnings: list[str] = []
    result = _run([*args.paths, *(args.against or [])], config, rules, warnings, compare=True)
    warnings += result.warnings + unknown_code_warnings(result.documents, FINDING_CODES)
    scope = _scope(args, result.documents, changed)
    options = {"codes": codes, "severity": config.severity, "scope": scope}

    baseline_path = config.baseline
    if args.write_baseline:
        baseline_path = Path(args.write_baseline)
        current, _ = filter_findings(result.findings, result.documents, **options)
        written = write_baseline(baseline_path, current)
        print(f"factcheck: wrote {written} finding(s) to {baseline_path}", file=sys.stderr)
    baseline = load_baseline(baseline_path) if baseline_path else None
    result.findings, extra_stats = filter_findings(result.findings, result.documents, baseline=baseline, **options)
    result.findings = sort_findings(_nli(result.findings, config, rules, extra_stats, warnings))
    _print_warnings(warnings)

    report = build_report(result, extra_stats)
    levels = None
    if config.format == "sarif":  # only SARIF states each rule's level; the others spare loading the rules
        levels = {code: config.severity.get(code, rules.severity(code)) for code in FINDING_CODES}
    drafts = _scope(args, result.documents, None)  # html shows the drafts first
    colour = use_colour() and not args.output_file
    text = RENDERERS[config.format](report, colour=colour, levels=levels, documents=result.documents, config=config, drafts=drafts)
    if args.output_file:
        try:
            args.output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise FactcheckError(str(args.output_file), f"cannot write the report: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    if config.format in ("jsonl", "sarif"):  # their stdout is for machines; people read stderr
        for e in result.errors:
            print(f"factcheck: error: {e.path}{':' + str(e.line) if e.line else ''}: {e.message}", file=sys.stderr)
    if result.errors:
        return ExitStatus.USAGE
    if config.fail_on != "never":
        bar = SEVERITY_RANK[config.fail_on]
        if any(SEVERITY_RANK[f.severity] >= bar for f in report.findings):
            return ExitStatus.FINDINGS
    return ExitStatus.OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "schema":
            from factcheck.report.schema import render_schema

            sys.stdout.write(render_schema())
            return ExitStatus.OK
        config = effective_config(args)
        if args.command == "config":
            selected_codes(config)  # an unknown code is an error here too
            sys.stdout.write(describe(config))
            return ExitStatus.OK
        if args.command == "claims":
            return _run_claims(args, config)
        return _run_check(args, config)
    except FactcheckError as exc:
        print(f"factcheck: error: {exc}", file=sys.stderr)
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return ExitStatus.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
