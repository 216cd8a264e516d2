"""Each output channel's escaping function on its own (issue 10): what a pull request can
put in a file name, a sentence or a baseline entry reaches the log inert and readable."""

from __future__ import annotations

import json

import pytest

from factcheck.report.escape import github_data, github_property, guard_line, json_text, log_line, visible

HOSTILE = [
    "x\n::error file=README.md::INJECTED\n.md",
    "::add-mask::secret",
    "  ::stop-commands::tok",
    "text ##[stop-commands]tok",
    "red \x1b[31m alert \x1b[0m",
    "Acme \u202eelif.md",
    "zero\u200bwidth and line\u2028separator",
    "100% of 50%,\r\n::warning::x",
]


def _runner_reads_a_command(line: str) -> bool:
    return line.lstrip().startswith("::") or "##[" in line


@pytest.mark.parametrize("text", HOSTILE)
def test_a_log_line_is_one_inert_visible_line(text):
    line = log_line(text)
    assert "\n" not in line and "\r" not in line
    assert not _runner_reads_a_command(line)
    assert not any(ch in line for ch in "\x1b\u202e\u200b\u2028")


@pytest.mark.parametrize("text", HOSTILE)
def test_github_values_keep_a_command_on_one_line(text):
    for value in (github_data(text), github_property(text)):
        assert "\n" not in value and "\r" not in value
        assert not _runner_reads_a_command(value)
    # a property ends at ":" or ",": neither can appear raw inside one
    assert ":" not in github_property(text) and "," not in github_property(text)


def test_github_data_escapes_what_the_runner_unescapes():
    """The runner turns %0A back into a newline inside the message it shows, never into a
    new command line; a literal "%0A" in the text must stay literal."""
    assert github_data("50%\nnext") == "50%25%0Anext"
    assert github_data("%0A") == "%250A"


def test_visible_shows_controls_as_escapes_and_keeps_ordinary_text():
    assert visible("a\x1b[31mb") == "a\\x1b[31mb"
    assert visible("x\u202ey") == "x\\u202ey"
    assert visible("Acme's revenue rose 5%\tto €2 billion — a record") == "Acme's revenue rose 5%\tto €2 billion — a record"


def test_guard_line_changes_only_what_the_runner_would_read():
    assert guard_line("a.md:3:1: FC101 error") == "a.md:3:1: FC101 error"
    assert not _runner_reads_a_command(guard_line("::error::x"))
    assert not _runner_reads_a_command(guard_line("see ##[group]"))


@pytest.mark.parametrize("text", HOSTILE)
def test_json_text_is_the_same_value_and_inert(text):
    document = json.dumps({"message": text, "nested": [text]})
    guarded = json_text(document)
    assert json.loads(guarded) == json.loads(document)
    assert all(not _runner_reads_a_command(line) for line in guarded.split("\n"))
