"""Command line: `factcheck check`, `factcheck claims`.

Exit status follows linters (proselint, ruff): 0 nothing at or above --fail-on, 1
findings at or above it, 2 usage or input error. Errors are one line naming the file;
a traceback is a bug.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import json
import sys
from pathlib import Path

from factcheck import __version__
from factcheck.errors import FactcheckError
from factcheck.models import SEVERITY_RANK

# Kept here rather than imported from factcheck.report so that `--version` and `--help`
# answer without loading the pipeline.
REPORT_FORMATS = ("text", "json")


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factcheck", description="Find numbers that disagree across financial articles.")
    parser.add_argument("--version", action="version", version=f"factcheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    common = _Parser(add_help=False)
    common.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (.md, .markdown, .txt, .html, .htm)")
    common.add_argument("--rules", metavar="DIR", help="rules directory (default: the project's rules/)")
    common.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date for files that carry none")

    check = sub.add_parser("check", parents=[common], help="report conflicting figures")
    check.add_argument("--format", choices=REPORT_FORMATS, default="text")
    check.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default="error")
    check.add_argument("--nli", choices=["off", "auto", "required"], default="auto", help="score flagged pairs with an NLI model")
    check.add_argument("--nli-model", metavar="PATH_OR_ID", help="NLI model: local folder or hub id")

    claims = sub.add_parser("claims", parents=[common], help="list every extracted claim, normalised")
    claims.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def _print_warnings(warnings: list[str]) -> None:
    seen = set()
    for w in warnings:
        if w not in seen:
            seen.add(w)
            print(f"factcheck: warning: {w}", file=sys.stderr)


def _run_claims(args) -> int:
    from factcheck.pipeline import collect_claims
    from factcheck.rules import load_rules

    rules = load_rules(args.rules)
    result = collect_claims(args.paths, rules, args.date)
    _print_warnings(result.warnings)
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


def _run_check(args) -> int:
    from factcheck.pipeline import build_report, collect_claims, find_conflicts
    from factcheck.report import FORMATS
    from factcheck.report.text import use_colour
    from factcheck.rules import load_rules

    rules = load_rules(args.rules)
    result = collect_claims(args.paths, rules, args.date)
    result.findings, result.pairs_compared = find_conflicts(result.claims, rules)
    extra_stats: dict = {}
    warnings = list(result.warnings)
    if args.nli != "off":
        from factcheck.nli import NLIUnavailable, apply_nli

        try:
            result.findings, nli_stats, nli_warnings = apply_nli(
                result.findings,
                mode=args.nli,
                model=args.nli_model,
                rules_dir=rules.directory,
                cache_path=None,
            )
        except NLIUnavailable as exc:
            print(f"factcheck: error: {exc}", file=sys.stderr)
            return ExitStatus.USAGE
        extra_stats.update(nli_stats)
        warnings.extend(nli_warnings)
    else:
        extra_stats["nli"] = None
        extra_stats["nli_reason"] = "disabled (--nli off)"
    _print_warnings(warnings)
    report = build_report(result, extra_stats)
    sys.stdout.write(FORMATS[args.format](report, colour=use_colour()))
    if result.errors:
        return ExitStatus.USAGE
    if args.fail_on != "never":
        bar = SEVERITY_RANK[args.fail_on]
        if any(SEVERITY_RANK[f.severity] >= bar for f in report.findings):
            return ExitStatus.FINDINGS
    return ExitStatus.OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "claims":
            return _run_claims(args)
        return _run_check(args)
    except FactcheckError as exc:
        print(f"factcheck: error: {exc}", file=sys.stderr)
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return ExitStatus.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
