"""Command line: `factcheck check`, `claims`, `config`, `schema`, `rule`.

Habits of ruff and Vale: no abbreviated options, a did-you-mean for a mistyped command or
option, `-` for an article on stdin (`--stdin-filename` names it), `--format concise` and
`--statistics`, `--version` on every command, input errors on stderr in every format.

This module only parses flags into Settings, calls factcheck.api, renders the result and
maps it to an exit status. Exit status follows linters (proselint, ruff): 0 nothing at or
above --fail-on, 1 findings at or above it, 2 usage or input error, and as a shell
reports a process ended by a signal: 130 interrupted (SIGINT), 141 the reader of stdout
went away (SIGPIPE: `factcheck check . | head -1` is no pass), 143 terminated (SIGTERM).
Errors are one line naming the file; a traceback is a bug.

Flags that mirror a setting default to None, meaning "not given", so that the config file
(factcheck/gate/config.py) keeps its value.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import difflib
import enum
import gc
import io
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Iterable
from pathlib import Path

from factcheck import api
from factcheck.codes import finding_codes
from factcheck.errors import DEBUG, FactcheckError, InputFileError, Terminated, internal_error_message
from factcheck.gate.config import ENGINES, FAIL_ON, FORMATS, NLI_MODES, SETTINGS, describe, load_settings
from factcheck.ingest import SUPPORTED_SUFFIXES, Article, decode_article
from factcheck.models import SEVERITY_RANK
from factcheck.progress import progress_bar
from factcheck.report import CLAIMS_FORMATS, MACHINE_FORMATS, STREAMS
from factcheck.report.concise import statistics_json, statistics_lines
from factcheck.report.escape import html_for_log, log_line
from factcheck.report.schema import SCHEMAS, render_schema
from factcheck.report.text import use_colour
from factcheck.rules import load_rules
from factcheck.trust import UntrustedPath, replace_file
from factcheck.version import __version__


def _stderr(line: str) -> None:
    """The one way text reaches stderr: a CI log reads it, and file names come from PRs."""
    print(log_line(line), file=sys.stderr)


class ExitStatus(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
    BROKEN_PIPE = 141  # 128 + SIGPIPE
    TERMINATED = 143  # 128 + SIGTERM


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        # No abbreviations: `--output=JSON` must not quietly mean --output-file JSON.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2, like every other usage error
        _stderr(f"factcheck: error: {message}{_did_you_mean(self, message)}")
        self.exit(ExitStatus.USAGE)


def _option_names(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string of `parser` and of its subcommands' parsers."""
    names = list(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                names.extend(sub._option_string_actions)
    return list(dict.fromkeys(names))


def _did_you_mean(parser: argparse.ArgumentParser, message: str) -> str:
    """"; did you mean 'check'?" for a mistyped command, choice or option, as git does."""
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        word, options = choice.group(1), re.findall(r"'([^']*)'", choice.group(2))
    else:
        unknown = re.search(r"unrecognized arguments: (\S+)", message)
        if not unknown or not unknown.group(1).startswith("-"):
            return ""
        word, options = unknown.group(1).split("=", 1)[0], _option_names(parser)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6) or difflib.get_close_matches(word.lower(), options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _output_file(text: str) -> Path:
    # "-o json" meant the format, and would write a file named "json"; "./json" says a
    # file is meant (argparse sees the text as given, before Path folds "./").
    if "/" not in text and text.lower() in (*FORMATS, *CLAIMS_FORMATS):
        raise argparse.ArgumentTypeError(f"{text!r} is a report format: use --format {text.lower()} (for a file of that name: -o ./{text})")
    return Path(text)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def _settings_parser(*, check: bool) -> _Parser:
    """Flags that mirror config keys; `check` adds those only a report uses."""
    p = _Parser(add_help=False)
    p.add_argument("--config", type=Path, metavar="FILE", help="read this config file instead of looking for one")
    p.add_argument("--rules", metavar="DIR", help="rules directory (default: the project's rules/)")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date for files that carry none")
    p.add_argument("--cache-dir", metavar="DIR", help="where the cache lives (default: .factcheck/)")
    p.add_argument("--no-cache", dest="cache", action="store_const", const=False, help="neither read nor write the cache")
    p.add_argument("--exclude", action="append", metavar="GLOB", help="skip files and folders matching GLOB (repeatable)")
    p.add_argument("--max-file-bytes", type=int, metavar="N", help="skip (and report) articles larger than N bytes (default: 5000000)")
    p.add_argument("--max-sentence-chars", type=int, metavar="N", help="skip (and report) articles with a sentence over N characters (default: 20000)")
    p.add_argument("-j", "--jobs", type=_jobs, metavar="N", help="worker processes (default: the usable cores; 1: one process)")
    p.add_argument("--engine", choices=ENGINES, help="local (default) or dask: run on a Dask cluster (needs factcheck[dask])")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: join this scheduler instead of starting a local cluster")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no warnings")
    if check:
        p.add_argument("--format", choices=FORMATS, help="report format (default: text; concise: one line per finding)")
        p.add_argument("--statistics", action="store_true", help="count the findings per code instead of listing them (text or json)")
        p.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that makes the exit status 1 (default: error)")
        p.add_argument("--select", action="append", metavar="CODES", help="report only these codes or prefixes, comma-separated")
        p.add_argument("--ignore", action="append", metavar="CODES", help="never report these codes or prefixes, comma-separated")
        p.add_argument("--severity", action="append", metavar="CODE=LEVEL", help="override a code's severity (repeatable)")
        p.add_argument("--nli", choices=NLI_MODES, help="score findings with an NLI model (default: off; turn it on with --nli auto --nli-model PATH)")
        p.add_argument("--nli-model", metavar="PATH_OR_ID", help="NLI model: local folder or hub id")
        p.add_argument("--baseline", metavar="FILE", help="do not report findings listed in this baseline file")
    return p


def _common_parser() -> _Parser:
    """What every command takes: --version and --debug, before or after the command."""
    p = _Parser(add_help=False)
    p.add_argument("--version", action="version", version=f"factcheck {__version__}")
    p.add_argument("--debug", action="store_true", help="show the traceback of an internal error (anywhere on the line)")
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common_parser()
    parser = _Parser(prog="factcheck", description="Find numbers that disagree across financial articles.", parents=[common])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    paths = _Parser(add_help=False)
    paths.add_argument(
        "paths", nargs="+", metavar="PATH", help="article files or folders (.md, .markdown, .txt, .html, .htm); - reads one article from stdin"
    )
    paths.add_argument("--stdin-filename", metavar="NAME", help="the name messages give the article read from stdin (-); its suffix picks the format")
    output = _Parser(add_help=False)
    output.add_argument("-o", "--output-file", type=_output_file, metavar="FILE", help="write the report to FILE instead of stdout")

    check = sub.add_parser("check", parents=[common, paths, _settings_parser(check=True), output], help="report conflicting figures")
    check.add_argument(
        "--against",
        nargs="+",
        metavar="CORPUS",
        help="compare the PATHs (drafts) with these published articles; report only findings that involve a draft",
    )
    check.add_argument("--changed-since", metavar="REV", help="report only findings that involve a file changed since this git revision")
    check.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE, then report as if --baseline FILE")

    claims = sub.add_parser(
        "claims", parents=[common, paths, _settings_parser(check=False), output], help="list every extracted claim, normalised"
    )
    claims.add_argument("--format", dest="claims_format", choices=list(CLAIMS_FORMATS), default="text")

    sub.add_parser(
        "config", parents=[common, _settings_parser(check=True)], help="print the effective configuration and where each value comes from"
    )
    schema = sub.add_parser("schema", parents=[common], help="print the JSON Schema of the json report (or of `claims --format json`)")
    schema.add_argument("which", nargs="?", choices=list(SCHEMAS), default="report")
    rule = sub.add_parser("rule", parents=[common], help="explain a finding code, e.g. `factcheck rule FC103`")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a finding code; without one, list them all")
    return parser


def settings_from_args(args: argparse.Namespace):
    """The Settings a parsed command line asks for: defaults, config file, then these flags."""
    flags = {key: getattr(args, key, None) for key in SETTINGS}
    return load_settings(config_file=args.config, flags=flags)


# --------------------------------------------------------------------------- commands


def _warn(lines: list[str], args: argparse.Namespace) -> None:
    if not args.quiet:
        for line in dict.fromkeys(lines):
            _stderr(f"factcheck: warning: {line}")


def _write(report: str | Iterable[str], args: argparse.Namespace, fmt: str = "text") -> None:
    """The report, whole or in pieces (a large one is never held as one string).

    To FILE through trust.replace_file: written beside it and renamed, so that a report
    that fails half-way (a render error, a full disk) leaves FILE as it was. To stdout,
    escaped for where the bytes land: a terminal or a CI log (html carries article text
    verbatim), in the terminal's encoding for text and UTF-8 for what a program reads.
    """
    pieces = (report,) if isinstance(report, str) else report
    if args.output_file is not None:
        try:
            replace_file(args.output_file, pieces)
        except UntrustedPath as exc:
            raise FactcheckError(str(args.output_file), f"cannot write the report: {exc.strerror}") from None
        except OSError as exc:
            raise _cannot_write(args.output_file, exc) from None
        return
    _stdout_for(fmt)
    try:
        for piece in pieces:
            sys.stdout.write(html_for_log(piece) if fmt == "html" else piece)
        sys.stdout.flush()  # here, not at exit: a full disk must be this run's error
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _cannot_write(Path("stdout"), exc) from None


def _stdout_for(fmt: str) -> None:
    """stdout in an encoding that can carry every report: a cp1252 console cannot encode
    an arrow, and a report must not die on it. A program reads JSON, SARIF and html as
    UTF-8 whatever the console; text for people is escaped where the console falls short."""
    out = sys.stdout
    if not isinstance(out, io.TextIOWrapper) or codecs.lookup(out.encoding).name == "utf-8":
        return
    if fmt in ("text", "concise"):
        out.reconfigure(errors="backslashreplace")
    else:
        out.reconfigure(encoding="utf-8")


def _cannot_write(path: Path, exc: OSError) -> FactcheckError:
    return FactcheckError(str(path), f"cannot write the report: {exc.strerror or exc}")


def _progress(args: argparse.Namespace, machine_output: bool):
    # Never beside a machine format: a CI log captures stderr with stdout.
    return progress_bar(sys.stderr, enabled=not (args.quiet or machine_output))


STDIN = "-"


def _inputs(paths: list[str], args: argparse.Namespace, settings) -> list[str | Article]:
    """The paths, with `-` read from stdin as one article named --stdin-filename (as ruff)."""
    if STDIN not in paths:
        if args.stdin_filename is not None:
            raise FactcheckError("--stdin-filename", "names the article read from stdin; give - among the paths to read one")
        return list(paths)
    if paths.count(STDIN) > 1:
        raise FactcheckError(STDIN, "stdin can be read only once")
    name = args.stdin_filename or STDIN
    suffix = Path(name).suffix.lower()
    data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        raise FactcheckError(name, f"stdin is over max_file_bytes ({settings.max_file_bytes:,})")
    try:
        text, warnings = decode_article(data, name)
    except InputFileError as exc:
        raise FactcheckError(name, exc.message) from None
    _warn(warnings, args)
    article = Article(text=text, name=name, format=suffix[1:] if suffix in SUPPORTED_SUFFIXES else "md")
    return [article if p == STDIN else p for p in paths]


def _input_errors(report) -> None:
    """Input errors on stderr, in every format: stdout holds the report only."""
    for e in report.errors:
        _stderr(f"factcheck: error: {e.path}{':' + str(e.line) if e.line else ''}: {e.message}")


def _run_claims(args: argparse.Namespace, settings) -> int:
    inputs = _inputs(args.paths, args, settings)
    with _progress(args, args.claims_format != "text") as progress:
        report = api.claims_report(inputs, settings=settings, progress=progress)
    _warn(report.warnings, args)
    _write(CLAIMS_FORMATS[args.claims_format](report), args, args.claims_format)
    _input_errors(report)
    return ExitStatus.USAGE if report.errors else ExitStatus.OK


def _run_check(args: argparse.Namespace, settings) -> int:
    if args.statistics and settings.format not in ("text", "concise", "json"):
        raise FactcheckError("--statistics", f"counts findings in text or json, not --format {settings.format}")
    inputs = _inputs(args.paths, args, settings)
    with _progress(args, settings.format in MACHINE_FORMATS) as progress:
        report = api.check(
            inputs,
            settings=settings,
            against=args.against or (),
            progress=progress,
            changed_since=args.changed_since,
            write_baseline=args.write_baseline,
        )
    for note in report.notes:
        _stderr(f"factcheck: {note}")
    _warn(report.warnings, args)
    if args.statistics:
        statistics = statistics_json(report) if settings.format == "json" else "".join(line + "\n" for line in statistics_lines(report))
        _write(statistics, args, "json" if settings.format == "json" else "text")
    else:
        levels = None
        if settings.format == "sarif":  # only SARIF states each rule's level; the others spare loading the rules
            rules = load_rules(settings.rules)
            levels = {code: settings.severity.get(code, rules.severity(code)) for code in finding_codes()}
        colour = args.output_file is None and use_colour()
        _write(STREAMS[settings.format](report, colour=colour, levels=levels), args, settings.format)
    _input_errors(report)
    if report.errors:
        return ExitStatus.USAGE
    if settings.fail_on != "never":
        bar = SEVERITY_RANK[settings.fail_on]
        if any(SEVERITY_RANK[f.severity] >= bar for f in report.findings):
            return ExitStatus.FINDINGS
    return ExitStatus.OK


def _run_rule(args: argparse.Namespace) -> int:
    codes = finding_codes()
    if args.code is None:
        for c in codes.values():
            print(f"{c.code}  {c.kind.replace('_', ' '):<20} {c.default_severity:<8} {c.summary}")
        return ExitStatus.OK
    found = codes.get(args.code.strip().upper())
    if found is None:
        raise FactcheckError("rule", f"unknown finding code {args.code!r} (known: {', '.join(codes)})")
    print(f"# {found.code} {found.kind.replace('_', ' ')}\n\nDefault severity: {found.default_severity}\n\n{found.explanation}")
    return ExitStatus.OK


def _split_debug(argv: list[str]) -> tuple[list[str], bool]:
    # --debug is honoured before or after the subcommand; after `--` it is a path.
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]
    return [a for a in argv[:end] if a != "--debug"] + argv[end:], debug


_MAIN_PID = os.getpid()  # the process that installed _terminated (main() sets it)


def _terminated(signum, frame) -> None:
    if os.getpid() != _MAIN_PID:
        # A pool worker forked with this handler and ended before its initializer put back
        # the default (engines/local.py): it dies as the default would, with no traceback.
        os._exit(128 + signum)
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    argv, debug = _split_debug(list(sys.argv[1:] if argv is None else argv))
    token = DEBUG.set(debug)
    # SIGTERM unwinds like Ctrl-C, so that every `finally` runs: worker processes are
    # ended, the cache closed, no temporary report left (the default would just die).
    owned = threading.current_thread() is threading.main_thread()
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    previous = signal.signal(signal.SIGTERM, _terminated) if owned else None
    try:
        return _main(argv)
    except Exception as exc:  # noqa: BLE001 - a CI gate must tell a crash (2) from findings (1)
        if debug:
            # Printed here rather than re-raised: an uncaught exception exits 1, the
            # findings status. Line by line, since a frame may quote a hostile file name.
            for line in traceback.format_exc().splitlines():
                _stderr(line)
        _stderr(f"factcheck: error: {internal_error_message(exc)}")
        return ExitStatus.USAGE
    finally:
        if owned:
            signal.signal(signal.SIGTERM, previous)
        DEBUG.reset(token)


def run() -> None:
    """The `factcheck` command (`python -m factcheck` too): main(), then the process ends."""
    status = main()
    # Nothing the run made is used again. Frozen, its objects are left out of the garbage
    # collections the interpreter makes while it shuts down, which walked every object of
    # spaCy's pipeline, the rules and the report: 0.3 s of CPU, a seventh of a small
    # check (issue 33). Objects are still freed as their modules are torn down, and exit
    # handlers still run; only reference cycles are left to the operating system.
    gc.freeze()
    sys.exit(status)


def _main(argv: list[str]) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:  # bare `factcheck`: what it can do, as git and ruff answer
            sys.stdout.write(parser.format_help())
            return ExitStatus.USAGE
        if args.command == "schema":
            sys.stdout.write(render_schema(args.which))
            return ExitStatus.OK
        if args.command == "rule":
            return _run_rule(args)
        settings = settings_from_args(args)
        if args.command == "config":
            settings.codes  # an unknown code is an error here too  # noqa: B018
            _warn(list(settings.warnings), args)
            sys.stdout.write("".join(log_line(line) + "\n" for line in describe(settings).splitlines()))
            return ExitStatus.OK
        if args.command == "claims":
            return _run_claims(args, settings)
        return _run_check(args, settings)
    except FactcheckError as exc:
        _stderr(f"factcheck: error: {exc}")
        return ExitStatus.USAGE
    except KeyboardInterrupt as exc:
        return ExitStatus.TERMINATED if isinstance(exc, Terminated) else ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # The report did not reach its reader: never a pass. Python would also complain
        # when it flushes stdout at exit; point stdout at /dev/null first.
        _quiet_stdout()
        return ExitStatus.BROKEN_PIPE


def _quiet_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file (a test's StringIO)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
