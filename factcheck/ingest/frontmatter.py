"""YAML front matter of a Markdown article: its date, title and source.

Hostile YAML (aliases, deep nesting, huge blocks) is refused before anything is built.
"""

from __future__ import annotations

import re

import yaml

from factcheck.errors import InputFileError
from factcheck.ingest.blocks import Meta, parse_date, published_out_of_range
from factcheck.textguard import too_deep

# libyaml's loader when pyyaml was built with it: the pure-Python one was 15% of the time of
# a 10,000-article run, spent on three front-matter keys per article.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter_error(content: str, start_line: int, display: str, fast_error: yaml.YAMLError) -> InputFileError:
    """The one-line error for bad front matter. libyaml's loader is fast but places some
    mistakes a line late; the pure-Python loader, run only now, names the key's own line."""
    mark = getattr(fast_error, "problem_mark", None)
    if too_deep(fast_error):
        line = start_line + mark.line if mark is not None else start_line
        return InputFileError(display, f"malformed front matter: nested deeper than {FRONT_MATTER_MAX_DEPTH}", line=line)
    try:
        yaml.load(content, Loader=yaml.SafeLoader)
        exc = fast_error
    except yaml.YAMLError as slow_error:
        exc = slow_error
    except RecursionError:
        exc = fast_error
    mark = getattr(exc, "problem_mark", None)
    line = start_line + mark.line if mark is not None else start_line - 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return InputFileError(display, f"malformed front matter: {problem}", line=line)


# Front matter holds a date, a title and a few tags. Anything bigger or deeper is not an
# article's metadata, and YAML's aliases let a few hundred bytes expand to gigabytes.
FRONT_MATTER_MAX_CHARS = 64_000
FRONT_MATTER_MAX_DEPTH = 20


def _refuse_hostile_yaml(content: str, start_line: int, display: str) -> None:
    """Walk the YAML events (linear, no objects built) before anything is constructed."""
    if len(content) > FRONT_MATTER_MAX_CHARS:
        raise InputFileError(display, f"front matter over {FRONT_MATTER_MAX_CHARS:,} characters", line=start_line)
    depth = 0
    try:
        for event in yaml.parse(content, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = start_line + event.start_mark.line
                raise InputFileError(display, "malformed front matter: YAML anchors and aliases are not allowed", line=line)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > FRONT_MATTER_MAX_DEPTH:
                    line = start_line + event.start_mark.line
                    raise InputFileError(display, f"malformed front matter: nested deeper than {FRONT_MATTER_MAX_DEPTH}", line=line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as fast_error:
        raise _front_matter_error(content, start_line, display, fast_error) from None


def front_matter(content: str, start_line: int, display: str) -> Meta:
    """Read YAML front matter whose first content line is file line ``start_line``."""
    _refuse_hostile_yaml(content, start_line, display)
    try:
        data = yaml.load(content, Loader=_YAML_LOADER)
    except yaml.YAMLError as fast_error:
        raise _front_matter_error(content, start_line, display, fast_error) from None
    except (ValueError, OverflowError) as exc:
        # YAML reads 2026-13-45 as a timestamp that Python's date then rejects.
        raise InputFileError(display, f"malformed front matter: {exc}", line=start_line) from None
    if data is None:
        return Meta()
    if not isinstance(data, dict):
        raise InputFileError(
            display, "malformed front matter: expected key: value pairs", line=start_line
        )

    def key_line(key: str) -> int:
        for offset, text in enumerate(content.split("\n")):
            if re.match(rf"\s*{re.escape(key)}\s*:", text):
                return start_line + offset
        return start_line

    meta = Meta()
    if data.get("date") is not None:
        meta.published = parse_date(data["date"])
        if meta.published is None:
            raise InputFileError(
                display,
                f"front matter date must be a date (YYYY-MM-DD), got {data['date']!r}",
                line=key_line("date"),
            )
        if published_out_of_range(meta.published):
            raise InputFileError(display, f"front matter {published_out_of_range(meta.published)}", line=key_line("date"))
    for key in ("title", "source"):
        value = data.get(key)
        if value is not None:
            setattr(meta, key, str(value).strip() or None)
    return meta
