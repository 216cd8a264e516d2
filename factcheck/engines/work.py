"""What both engines run on a worker, and the compact forms that travel between processes.

A worker process (a pool process or a Dask worker) loads the rules once and runs one
extraction on a small article before the first task, so that whatever extraction loads
lazily (the lexicon today, a parse model tomorrow) is loaded once per process, not once
per task, and not inside the first task's timing.

Claims travel as their JSON (the form the stage cache already round-trips exactly) with
their quantity family beside it, and an article's names (link.article_names) with them,
so the parent can block and spill them without building a pydantic object per claim.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from factcheck.compare import compare_block
from factcheck.link import article_names, quantity_family
from factcheck.errors import FactcheckError, InputFileError
from factcheck.extract.parse import parse_zone
from factcheck.ingest import (
    MAX_FILE_BYTES,
    MAX_SENTENCE_CHARS,
    Article,
    boilerplate_candidate,
    discover,
    parse_document,
    read_text,
    split_lines,
)
from factcheck.models import Claim, Document, Finding, InputError
from factcheck.pipeline import Answers, article_claims, article_findings, parse_ahead
import factcheck.rules
import factcheck.version
from factcheck.rules import Rules

BOILERPLATE_MIN_DOCS = 3  # ingest.repeated_lines' default

_WARM_UP = "---\ndate: 2024-05-02\n---\n\nAcme Corp said revenue rose 4% to $1.2 billion in the first quarter.\n"

_rules = None
_identity: tuple[str, str] | None = None  # cached by require_identity; reset with the rules


def load_worker(rules_dir: str | None) -> None:
    """Per-process start-up: rules, then one extraction to pull in every lazy model."""
    global _rules, _identity
    _identity = None
    from factcheck.normalize import extract_claims  # heavy dependency: extraction loads spaCy (and torch through thinc)

    # Read at call time, as `identity` reads the version: what this worker's install says.
    _rules = Rules(Path(rules_dir) if rules_dir else factcheck.rules.DEFAULT_RULES_DIR)
    extract_claims(parse_document(_WARM_UP, "warm-up.md", suffix=".md"), _rules)


def identity() -> tuple[str, str]:
    """(factcheck version, rules fingerprint) of this process: a Dask worker whose pair is
    not the client's would extract and compare by other rules."""
    try:
        fingerprint = worker_rules().fingerprint
    except Exception as exc:  # noqa: BLE001 - rules that do not load are a mismatch to report
        fingerprint = f"unloadable ({type(exc).__name__}: {exc})"
    return factcheck.version.__version__, fingerprint


def mismatch(where: str, got: tuple[str, str], expected: tuple[str, str]) -> str:
    return (
        f"worker {where} runs factcheck {got[0]} with rules {got[1]}, this client factcheck {expected[0]} with rules "
        f"{expected[1]}: install the same factcheck and rules on every worker"
    )


def require_identity(expected: tuple[str, str]) -> None:
    """In every Dask task: a worker that joined after the run's check is checked too."""
    global _identity
    if _identity is None:
        _identity = identity()
    if _identity != tuple(expected):
        raise FactcheckError("--scheduler", mismatch(_worker_address(), _identity, tuple(expected)))


def _worker_address() -> str:
    try:
        from distributed import get_worker  # optional heavy dependency (the dask extra)

        return get_worker().address
    except (ImportError, ValueError):
        return "process " + str(__import__("os").getpid())


def use_rules(rules) -> None:
    """Tasks run in this process (--jobs 1) use the caller's rules, lazily loaded."""
    global _rules
    _rules = rules


def worker_rules():
    if _rules is None:  # a process that never ran load_worker: load on first use
        load_worker(None)
    return _rules


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True, slots=True)  # one per article for the whole run: no __dict__
class Source:
    """One article to extract: a file to read, or an in-memory article's text."""

    index: int
    display: str
    suffix: str
    warnings: tuple[str, ...]
    path: str | None = None
    text: str | None = None
    published: dt.date | None = None
    batch: int = 0  # see scan()
    # The run's size limits travel with each source, so a worker applies the same ones.
    max_bytes: int = MAX_FILE_BYTES
    max_sentence_chars: int = MAX_SENTENCE_CHARS

    def read(self) -> str:
        if self.text is not None:
            return self.text
        text, _ = read_text(Path(self.path), self.display, self.max_bytes)  # type: ignore[arg-type]
        return text


def _line_digest(line: str) -> int:
    return int.from_bytes(hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class BoilerplateCounter:
    """ingest.repeated_lines without keeping the texts: a count per line digest, and the
    line itself only once it is repeated often enough to be boilerplate (a few hundred
    strings for a whole archive)."""

    def __init__(self, min_docs: int = BOILERPLATE_MIN_DOCS):
        self.min_docs = min_docs
        self.counts: dict[int, int] = {}
        self.lines: set[str] = set()

    def add(self, text: str) -> None:
        counts = self.counts
        for line in {line.strip() for line in split_lines(text)}:
            if boilerplate_candidate(line):
                d = _line_digest(line)
                n = counts.get(d, 0) + 1
                counts[d] = n
                if n == self.min_docs:
                    self.lines.add(line)

    def result(self) -> frozenset[str]:
        return frozenset(self.lines)


def scan(
    items: Iterable,
    excluded,
    seen: Callable[[Source, str], None] | None,
    *,
    read: bool = True,
    max_bytes: int = MAX_FILE_BYTES,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
    warnings: list[str] | None = None,
) -> tuple[list[Source], list[tuple]]:
    """ingest.read_articles' order, errors and warnings, keeping no text of a file.

    With `read`, each file is read once here (its read error recorded, its text handed to
    `seen`: the boilerplate count) and read again when it is extracted; without, reading
    is left to the workers (Dask). Errors come as (batch, 0 for discovery or 1 for
    reading, 2 for an in-memory article too large, index, InputError): sorted, they are in read_articles' order, which a
    worker's read errors can join later (a source's `batch` is the number of path batches
    before it). Discovery's warnings (links, FIFOs and devices skipped) go to `warnings`.
    """
    sources: list[Source] = []
    errors: list[tuple] = []
    paths: list[str] = []
    batch = 0

    def add_paths() -> None:
        nonlocal batch
        files, found_errors = discover(paths, excluded, warnings)
        errors.extend((batch, 0, n, e) for n, e in enumerate(found_errors))
        for path, display in files:
            read_warnings: list[str] = []
            text = None
            if read:
                try:
                    text, read_warnings = read_text(path, display, max_bytes)
                except InputFileError as exc:
                    errors.append((batch, 1, len(sources), InputError(path=exc.path, line=exc.line, message=exc.message)))
                    continue
            source = Source(len(sources), display, path.suffix, tuple(read_warnings), path=str(path), batch=batch,
                            max_bytes=max_bytes, max_sentence_chars=max_sentence_chars)  # fmt: skip
            sources.append(source)
            if seen is not None and text is not None:
                seen(source, text)
        paths.clear()
        batch += 1

    for item in items:
        if isinstance(item, Article):
            add_paths()
            if len(item.text.encode("utf-8", "surrogatepass")) > max_bytes:  # as read_articles refuses it
                # after the errors of the paths before it, before those of the paths after
                errors.append((batch - 1, 2, len(sources), InputError(path=item.name, message=f"article is over max_file_bytes ({max_bytes:,}); skipped")))
                continue
            suffix = "." + item.format.lower().lstrip(".")
            source = Source(len(sources), item.name, suffix, (), text=item.text, published=item.published, batch=batch,
                            max_bytes=max_bytes, max_sentence_chars=max_sentence_chars)  # fmt: skip
            sources.append(source)
            if seen is not None:
                seen(source, item.text)
        else:
            paths.append(str(item))
    add_paths()
    return sources, errors


# --------------------------------------------------------------------------- extraction


@dataclass
class Extracted:
    index: int
    document: Document | None  # None: the article could not be parsed (see error)
    claims: list[tuple[str | None, bytes]]  # (quantity family, claim JSON)
    error: InputError | None = None
    answers: Answers | None = None
    names: frozenset[str] = frozenset()  # link.article_names: what blocking joins stories by
    findings: list[Finding] = field(default_factory=list)  # what the article makes on its own (pipeline.article_findings)


def extract_one(source: Source, text: str, boilerplate: frozenset[str], default_date: dt.date | None, probe: bool) -> Extracted:
    """pipeline.article_claims on a worker, its claims packed for the trip back."""
    r = article_claims(
        text, source.display, source.suffix, source.published or default_date, boilerplate, worker_rules(),
        source.max_sentence_chars, probe=probe,
    )  # fmt: skip
    if r.document is None:
        return Extracted(source.index, None, [], r.error)
    found = article_findings(r.claims, worker_rules())
    return Extracted(source.index, r.document, pack_claims(r.claims), None, r.answers, article_names(r.claims), found)


def pack_claims(claims: Iterable[Claim]) -> list[tuple[str | None, bytes]]:
    return [(quantity_family(c), c.model_dump_json().encode()) for c in claims]


def unpack_claims(blobs: Iterable[bytes]) -> list[Claim]:
    return [Claim.model_validate_json(b) for b in blobs]


def extract_chunk(tasks: list[tuple[Source, str]], boilerplate: frozenset[str], default_date: dt.date | None, probe: bool) -> list[Extracted]:
    # One parse memory zone for the chunk (extract.parse.parse_zone): the words its
    # articles share are built once, and all of them are freed when the chunk is done.
    # (parse.py loads spaCy itself, on first use: a cached run never does.)
    # Their figure sentences are parsed together first, in a few large batches.
    with parse_zone():
        parse_ahead([(text, s.display, s.suffix, s.published or default_date, s.max_sentence_chars) for s, text in tasks], boilerplate, worker_rules())
        return [extract_one(source, text, boilerplate, default_date, probe) for source, text in tasks]


# --------------------------------------------------------------------------- comparison

Key = tuple[str, str]  # link.link_key: (story, quantity family)


def compare_one(block: list[Claim]) -> tuple[list[Finding], int]:
    counters: dict[str, int] = {}
    found = compare_block(block, worker_rules(), counters)
    return found, counters.get("pairs", 0)


# Findings leave a Dask worker as JSON (the form the stage cache keeps them in, which
# round-trips them exactly): about a tenth of a pydantic Finding's memory.
_FINDINGS = TypeAdapter(list[Finding])


def pack_findings(findings: list[Finding]) -> bytes:
    return _FINDINGS.dump_json(findings)


def unpack_findings(blob: bytes, shared: SharedParts | None = None) -> list[Finding]:
    found = _FINDINGS.validate_json(blob)
    return shared.share(found) if shared is not None else found


# The claim fields whose values repeat across a run's findings: an article's path and
# sentences, units, names. The claim's own text and numbers are left alone.
_SHARED_CLAIM_STRINGS = ("path", "sentence", "unit", "kind", "qualifier", "subject", "metric", "attribution", "scope", "session", "direction")
_SHARED_FINDING_STRINGS = ("code", "kind", "severity", "subject", "metric")


class SharedParts:
    """What the findings of one run hold in common, held once.

    A claim is in every finding of its block it takes part in (on a generated archive
    4,052 claims in 2,026 findings were 2,377 claims), and each finding that crossed a
    process boundary (pickled from a pool worker, JSON from a Dask worker) brought its own
    copy of each, with its own copy of the sentence, the path, the period, the evidence
    and pydantic's set of the fields given. Sharing them takes a finding from about 11 KB
    to about 3 KB, which is what the parent of an archive run keeps until the report.

    Claims and periods are frozen models, so one instance in several findings cannot be
    changed through one of them; model_copy copies the set of fields given before it
    changes it.
    """

    def __init__(self) -> None:
        self._claims: dict[tuple, Claim] = {}
        self._strings: dict[str, str] = {}
        self._periods: dict[object, object] = {}
        self._evidence: dict[tuple, dict[str, str]] = {}
        self._field_sets: dict[frozenset, set[str]] = {}

    def share(self, findings: list[Finding]) -> list[Finding]:
        strings = self._strings
        for finding in findings:
            values = finding.__dict__
            for name in _SHARED_FINDING_STRINGS:
                value = values[name]
                if value is not None:
                    values[name] = strings.setdefault(value, value)
            finding.claims[:] = [self._claim(claim) for claim in finding.claims]
        return findings

    def _claim(self, claim: Claim) -> Claim:
        key = (claim.path, claim.line, claim.column, claim.text)
        known = self._claims.get(key)
        if known is not None:
            if known is claim or known == claim:
                return known
        else:
            self._claims[key] = claim
        values = claim.__dict__
        strings = self._strings
        for name in _SHARED_CLAIM_STRINGS:
            value = values[name]
            if value is not None:
                values[name] = strings.setdefault(value, value)
        if claim.period is not None:
            values["period"] = self._periods.setdefault(claim.period, claim.period)
        evidence = claim.evidence
        values["evidence"] = self._evidence.setdefault(tuple(evidence.items()), evidence)
        fields = claim.__pydantic_fields_set__
        object.__setattr__(claim, "__pydantic_fields_set__", self._field_sets.setdefault(frozenset(fields), fields))
        return claim


def compare_chunk(blocks: list[tuple[Key, list[bytes]]]) -> list[tuple[list[Finding], int]]:
    return [compare_one(unpack_claims(blobs)) for _, blobs in blocks]
