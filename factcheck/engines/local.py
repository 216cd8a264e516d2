"""The local engine: an archive streamed through a process pool (`--jobs N`).

Memory stays near flat as the archive grows:
- a first pass reads each file for the corpus-wide boilerplate set, keeping one 8-byte
  digest per distinct short line (work.BoilerplateCounter), not the texts;
- a second pass reads, parses and extracts each article and drops its text; a
  document is kept whole only when the report shows articles (html, or a small run
  whose Report may be rendered with `report.html.render_run`), else as its path and
  suppressions (pipeline.ArticleSummary);
- each claim is spilled as JSON to a temporary file, with its article, quantity family
  and offset kept in arrays (a few dozen bytes a claim), and each article's date and
  names (what blocking joins stories by);
- blocks (link.link_key: story and quantity family) are read back from the spill one at
  a time, in the sorted order of their keys, and compared; findings are what is kept (about 3 KB each as pydantic objects, their repeated
  claims, sentences and paths held once: work.SharedParts), and
  the CLI writes the report one finding at a time (report.STREAMS), never as one string.

Order is the single process's order everywhere (articles as given, blocks by key, claims
by article and position), so `--jobs 2` and `--jobs 1` give byte-identical reports. The
stage cache is only touched here, in the parent: workers never open it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import tempfile
import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from factcheck.ingest import MAX_FILE_BYTES, MAX_SENTENCE_CHARS
from factcheck.engines import work
from factcheck.errors import FactcheckError, InputFileError
from factcheck.gate.cache import StageCache, block_key
from factcheck.link import ArticleNames, article_names, stories
from factcheck.models import Document, Finding, InputError
from factcheck.pipeline import ArticleSummary, Progress, RunResult, article_findings, article_key, sort_findings, with_read_warnings

KEEP_DOCUMENTS_MAX = 2000  # articles: beyond this a Report keeps no sentences for render_run()
AUTO_PARALLEL_MIN = 400  # articles to extract before an automatic --jobs starts a pool
EXTRACT_CHUNK = 16  # articles per pool task: amortises pickling without starving a core
COMPARE_CHUNK = 400  # claims per pool task
WINDOW_PER_WORKER = 4  # tasks in flight per worker: bounds what waits in the queues


class _Inline:
    """An executor that runs each task at once, in this process: --jobs 1."""

    def submit(self, fn: Callable, *args: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, *a: Any, **k: Any) -> None:
        pass


def _pool(jobs: int, rules_dir: str | None):
    if jobs <= 1:
        return _Inline()
    # fork where there is one: spawn and forkserver re-import the caller's __main__ in
    # every worker, which breaks `factcheck.check()` called from a script without a
    # `__main__` guard. Forking happens before NLI loads torch or the bar starts a thread.
    # Either way the initializer loads the rules and extraction's models in the worker.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker, initargs=(rules_dir, os.getpid()))


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start_worker(rules_dir: str | None, parent: int) -> None:
    """A pool worker answers neither Ctrl-C (the terminal sends it to the whole process
    group) nor the parent's SIGTERM handler (fork copied it): the parent decides, and ends
    its workers (_stop). Should the parent die without doing so (SIGKILL), Linux sends
    the worker SIGTERM: no worker outlives its run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # (forked while the parent held both signals, _signals_held: a SIGTERM already sent
    # is delivered now, and ends the worker as the default does)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the parent's _stop is all there is
        pass
    # A parent killed between the fork and the line above sent no signal: this worker
    # has already been handed to another parent, and leaves at once.
    if os.getppid() != parent:
        os._exit(128 + signal.SIGTERM)
    work.load_worker(rules_dir)


def _stop(pool) -> None:
    """End the workers now: a run interrupted (SIGINT, SIGTERM) or failed must neither wait
    for the tasks running nor leave their processes behind."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(5)
    if manager is not None and manager.ident is not None:
        # The pool's own thread closes its wake-up pipe as it ends; the interpreter's exit
        # hook then writes to that pipe and joins the thread. Left to race, the write met a
        # closed pipe (a traceback on a Ctrl-C) or the join waited on a thread still busy.
        manager.join(5)


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done. The pool forks its workers inside
    `submit`, and a signal that lands in the fork's own hooks is run there, where its
    exception is swallowed: the run went on and passed. Held, it is raised right after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # (only the main thread runs Python's signal handlers)
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _ordered(pool, tasks: Iterable[tuple[Callable, tuple]], window: int) -> Iterator[Any]:
    """Results of `tasks` in submission order, with at most `window` in flight."""
    pending: deque[Future] = deque()
    for fn, args in tasks:
        with _signals_held():
            future = pool.submit(fn, *args)
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _spill_error(exc: OSError) -> FactcheckError:
    # A full temporary folder is the machine's state, not a bug: one line naming it.
    return FactcheckError(tempfile.gettempdir(), f"cannot write the run's temporary file: {exc.strerror or exc}")


class ClaimSpill:
    """Claims as JSON in a temporary file; each one's article and quantity family in arrays."""

    def __init__(self) -> None:
        try:
            self._file = tempfile.TemporaryFile(prefix="factcheck-claims-")
        except OSError as exc:
            raise _spill_error(exc) from None
        self._end = 0
        self.offsets = array("q")
        self.sizes = array("l")
        self.article_of = array("l")  # index into self.articles
        self.family_of = array("l")  # index into self.families, -1 for none
        self.families: dict[str, int] = {}
        self.articles: list[ArticleNames] = []

    def __len__(self) -> int:
        return len(self.offsets)

    def add_article(self, article: ArticleNames) -> int:
        self.articles.append(article)
        return len(self.articles) - 1

    def add(self, article: int, family: str | None, blob: bytes) -> None:
        try:
            self._file.write(blob)
        except OSError as exc:
            raise _spill_error(exc) from None
        self.offsets.append(self._end)
        self.sizes.append(len(blob))
        self._end += len(blob)
        self.article_of.append(article)
        self.family_of.append(-1 if family is None else self.families.setdefault(family, len(self.families)))

    def blocks(self, rules) -> list[tuple[tuple[str, str], array]]:
        """(key, claim indexes) per block, sorted by key, as link.group_by_key keys them."""
        try:
            self._file.flush()
        except OSError as exc:
            raise _spill_error(exc) from None
        story_of = stories(self.articles, rules)
        family_of = list(self.families)
        by_key: dict[tuple[str, str], array] = {}
        for i, (n, f) in enumerate(zip(self.article_of, self.family_of)):
            if f >= 0:
                key = (story_of[n], family_of[f])
                found = by_key.get(key)
                if found is None:
                    found = by_key[key] = array("l")
                found.append(i)
        return sorted(by_key.items())

    def aligned(self) -> int:
        return sum(1 for f in self.family_of if f >= 0)

    def read(self, indexes: Iterable[int]) -> list[bytes]:
        fd = self._file.fileno()
        return [os.pread(fd, self.sizes[i], self.offsets[i]) for i in indexes]

    def close(self) -> None:
        try:
            self._file.close()
        except OSError:  # what it could not flush was already reported; the file is gone
            pass


@dataclass
class LocalRun:
    items: list
    rules: Any  # Rules or LazyRules
    default_date: Any
    cache: StageCache | None
    progress: Progress | None
    excluded: Callable[[str], bool] | None
    jobs: int
    auto: bool  # --jobs not given: small runs stay in this process
    keep_documents: bool | None  # None: when the run is small
    max_bytes: int = MAX_FILE_BYTES
    max_sentence_chars: int = MAX_SENTENCE_CHARS


def run(job: LocalRun, *, compare: bool = True) -> RunResult:
    counter = work.BoilerplateCounter()
    misses = _MissCounter(job) if job.auto and job.jobs > 1 else None

    def seen(source: work.Source, text: str) -> None:
        counter.add(text)
        if misses is not None:
            misses.add(source, text)

    warnings: list[str] = []
    sources, scanned = work.scan(
        job.items, job.excluded, seen, max_bytes=job.max_bytes, max_sentence_chars=job.max_sentence_chars, warnings=warnings
    )
    errors = [e for *_, e in sorted(scanned, key=lambda r: r[:3])]
    boilerplate = counter.result()
    del counter
    keep = job.keep_documents if job.keep_documents is not None else len(sources) <= KEEP_DOCUMENTS_MAX
    jobs = 1 if misses is not None and misses.count < AUTO_PARALLEL_MIN else job.jobs
    rules_dir = str(job.rules.directory) if getattr(job.rules, "directory", None) else None
    pool = None
    spill = ClaimSpill()
    try:
        if jobs <= 1:
            work.use_rules(job.rules)  # this process's rules, loaded only if a file misses the cache
        pool = _pool(jobs, rules_dir)
        own: list[Finding] = []  # what each article makes on its own (FC201-FC203)
        documents = _extract(job, pool, jobs, sources, boilerplate, errors, spill, keep, warnings, own)
        result = RunResult(documents, [], [], errors, warnings)
        result.claim_count, result.aligned_count = len(spill), spill.aligned()
        if compare:
            found, result.pairs_compared = _compare(job, pool, jobs, spill)
            result.findings = sort_findings(found + own)
        result.documents_complete = keep
        return result
    except BaseException:
        if pool is not None:
            _stop(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        spill.close()


class _MissCounter:
    """Articles the cache cannot answer, counted during the scan up to AUTO_PARALLEL_MIN:
    only that many are worth a pool. A key present is counted as a hit even if its
    boilerplate answers turn out stale; the count only picks the engine, never a result."""

    def __init__(self, job: LocalRun):
        self.job, self.count = job, 0

    def add(self, source: work.Source, text: str) -> None:
        job = self.job
        if self.count >= AUTO_PARALLEL_MIN:
            return
        if job.cache is not None:
            published = source.published or job.default_date
            key = article_key(text, source.display, source.suffix, published, job.rules, source.max_sentence_chars)
            if job.cache.has_file(key):
                return
        self.count += 1


def _extract(
    job: LocalRun, pool, jobs: int, sources: list[work.Source], boilerplate, errors: list[InputError], spill: ClaimSpill, keep: bool,
    warnings: list[str], own: list[Finding],
) -> list[Document]:
    cache, rules = job.cache, job.rules
    probe = cache is not None

    def tasks() -> Iterator[tuple[Callable, tuple]]:
        chunk: list[tuple[work.Source, str]] = []
        for source in sources:
            try:
                text = source.read()
            except InputFileError as exc:  # changed since the scan: reported as the scan would
                yield _ready, ([work.Extracted(source.index, None, [], InputError(path=exc.path, line=exc.line, message=exc.message))],)
                continue
            hit = None
            if cache is not None:
                published = source.published or job.default_date
                key = article_key(text, source.display, source.suffix, published, rules, source.max_sentence_chars)
                hit = cache.lookup_file(key, boilerplate)
                if hit is None:
                    keys[source.index] = key
            if hit is not None:
                if chunk:
                    yield work.extract_chunk, (chunk, boilerplate, job.default_date, probe)
                    chunk = []
                document, found = hit
                extracted = work.Extracted(source.index, document, work.pack_claims(found), names=article_names(found))
                extracted.findings = article_findings(found, rules)
                yield _ready, ([extracted],)
                continue
            chunk.append((source, text))
            if len(chunk) >= EXTRACT_CHUNK:
                yield work.extract_chunk, (chunk, boilerplate, job.default_date, probe)
                chunk = []
        if chunk:
            yield work.extract_chunk, (chunk, boilerplate, job.default_date, probe)

    keys: dict[int, str] = {}
    documents: list[Document] = []
    done = 0
    for results in _ordered(pool, tasks(), max(2, jobs * WINDOW_PER_WORKER)):
        for r in results:
            done += 1
            source = sources[r.index]
            if job.progress is not None:
                job.progress("read", done, len(sources))
            if r.document is None:
                errors.append(r.error)  # type: ignore[arg-type]
                continue
            document = r.document
            own.extend(r.findings)
            if cache is not None and r.answers is not None:
                cache.store_file(keys.pop(r.index), document, work.unpack_claims(b for _, b in r.claims), r.answers)  # type: ignore[arg-type]
            document = with_read_warnings(document, source.warnings)
            documents.append(document if keep else ArticleSummary.of(document))  # type: ignore[arg-type]
            warnings.extend(document.warnings)
            if r.claims:  # as link.group_by_key sees a run: the articles that have figures
                n = spill.add_article(ArticleNames(document.path, document.published, r.names))
                for family, blob in r.claims:
                    spill.add(n, family, blob)
    return documents


def _ready(results):
    return results


def _compare(job: LocalRun, pool, jobs: int, spill: ClaimSpill) -> tuple[list[Finding], int]:
    cache, rules = job.cache, job.rules
    blocks = spill.blocks(rules)
    total = sum(len(ix) for _, ix in blocks)
    keys: dict[int, str] = {}

    def tasks() -> Iterator[tuple[Callable, tuple]]:
        chunk: list[tuple[tuple[str, str], list[bytes]]] = []
        first = size = 0
        for n, (key, indexes) in enumerate(blocks):
            blobs = spill.read(indexes)
            if cache is not None:
                ck = block_key(work.unpack_claims(blobs), rules.fingerprint)
                hit = cache.lookup_block(ck)
                if hit is not None:
                    if chunk:
                        yield compare_tagged, (chunk, first)
                        chunk, size = [], 0
                    yield _ready, ([(hit, len(indexes), None)],)
                    continue
                keys[n] = ck
            if not chunk:
                first = n
            chunk.append((key, blobs))
            size += len(blobs)
            if size >= COMPARE_CHUNK or jobs <= 1:
                yield compare_tagged, (chunk, first)
                chunk, size = [], 0
        if chunk:
            yield compare_tagged, (chunk, first)

    findings: list[Finding] = []
    shared = work.SharedParts()
    pairs = done = 0
    for results in _ordered(pool, tasks(), max(2, jobs * WINDOW_PER_WORKER)):
        for (found, compared), count, n in results:
            findings.extend(shared.share(found))
            pairs += compared
            done += count
            if n is not None and n in keys:
                cache.store_block(keys.pop(n), found, compared)  # type: ignore[union-attr]
            if job.progress is not None:
                job.progress("compare", done, total)
    return sort_findings(findings), pairs


def compare_tagged(chunk: list[tuple[tuple[str, str], list[bytes]]], first: int) -> list[tuple[tuple[list[Finding], int], int, int]]:
    """Per block: (findings and pairs, claims, block number), for the parent's cache and progress."""
    return [(r, len(blobs), first + i) for i, (r, (_, blobs)) in enumerate(zip(work.compare_chunk(chunk), chunk))]
