"""The Dask engine: `factcheck check --engine dask [--scheduler ADDRESS]`.

    articles (paths; workers read the files) -> boilerplate lines counted on the cluster
      -> extraction mapped over partitions (claims stay on the workers, persisted)
      -> distinct subject names gathered (small) -> entities.canonical_subjects on the client
      -> the mapping broadcast; claims keyed by (canonical subject, metric)
      -> keys holding more than a block partition's fair share cut by period (see below)
      -> claims shuffled by key -> comparison per block -> findings to the client

The client holds the articles' paths and metadata and the findings, never the claims.
Findings are sorted exactly as the local engine sorts them, so reports are identical.

Skew: one (subject, metric) key may hold most of an archive, and a shuffle sends a key to
one worker. The claims' calendar windows of such a key are merged on the cluster into
runs of overlapping windows (an associative fold), and the key is split into one shuffle
key per run: align.split_by_period explains why no pair crosses runs. A heavy key with a
claim that has no calendar window is left whole (that claim meets every other one).

The stage cache is not used here: it is a file on one machine, and workers on other
machines cannot share it. A worker lost mid-run has its tasks recomputed by Dask; a run
that cannot finish raises FactcheckError and reports nothing.
"""

from __future__ import annotations

from factcheck.ingest import MAX_FILE_BYTES, MAX_SENTENCE_CHARS

import bisect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from factcheck.engines import usable_cores, work
from factcheck.engines.local import KEEP_DOCUMENTS_MAX
from factcheck.errors import FactcheckError
from factcheck.models import Document, Finding, InputError
from factcheck.pipeline import ArticleSummary, Progress, RunResult, sort_findings, with_read_warnings

log = logging.getLogger(__name__)

PARTITION_ARTICLES = 200  # articles per extraction partition
SKEW_MIN_CLAIMS = 200  # below this a key is never worth cutting
BLOCK_PARTITIONS_PER_WORKER = 4


@dataclass
class DaskRun:
    items: list
    rules: Any
    default_date: Any
    progress: Progress | None
    excluded: Callable[[str], bool] | None
    scheduler: str | None
    jobs: int | None  # LocalCluster workers when no scheduler is given
    keep_documents: bool | None
    max_bytes: int = MAX_FILE_BYTES
    max_sentence_chars: int = MAX_SENTENCE_CHARS


def _imports():
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise FactcheckError("--engine dask", f"needs dask[distributed] ({exc.name} is missing): pip install 'factcheck[dask]'") from None


def connect(scheduler: str | None, workers: int | None):
    """A Client on the scheduler given, else on a LocalCluster of worker processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise FactcheckError("--scheduler", f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    cluster = LocalCluster(n_workers=workers or usable_cores(), threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster), cluster


class RulesPlugin:
    """Loads the rules and extraction's models once in every worker, joiners included."""

    name = "factcheck-rules"

    def __init__(self, rules_dir: str | None):
        self.rules_dir = rules_dir

    def setup(self, worker=None) -> None:
        work.load_worker(self.rules_dir)

    def teardown(self, worker=None) -> None:
        pass

    def transition(self, *args, **kwargs) -> None:
        pass


def run(job: DaskRun) -> RunResult:
    _imports()
    from distributed import WorkerPlugin

    client, cluster = connect(job.scheduler, job.jobs)
    try:
        plugin = type("FactcheckRules", (RulesPlugin, WorkerPlugin), {})(_rules_dir(job.rules))
        client.register_plugin(plugin, name=RulesPlugin.name)
        return _run(job, client)
    except FactcheckError:
        raise
    except Exception as exc:  # a lost cluster or a task that kept failing: never a partial report
        raise FactcheckError("--engine dask", f"the run on the cluster failed, no report was made: {type(exc).__name__}: {exc}") from exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _rules_dir(rules) -> str | None:
    directory = getattr(rules, "directory", None)
    return str(directory.resolve()) if directory is not None else None


def _run(job: DaskRun, client) -> RunResult:
    import dask.bag as db

    # Paths are discovered here; the workers read the files.
    skipped: list[str] = []
    sources, discovered = work.scan(
        job.items, job.excluded, None, read=False, max_bytes=job.max_bytes, max_sentence_chars=job.max_sentence_chars, warnings=skipped
    )
    keep = job.keep_documents if job.keep_documents is not None else len(sources) <= KEEP_DOCUMENTS_MAX
    parts = max(1, -(-len(sources) // PARTITION_ARTICLES))
    bag = db.from_sequence(sources, npartitions=parts) if sources else None
    if bag is None:
        return RunResult([], [], [], [e for *_, e in sorted(discovered, key=lambda r: r[:3])], skipped)

    boilerplate = frozenset(
        bag.map_partitions(_candidate_lines).frequencies().filter(lambda kv: kv[1] >= work.BOILERPLATE_MIN_DOCS).pluck(0).compute()
    )
    if job.progress is not None:
        job.progress("read", 0, len(sources))
    extracted = bag.map_partitions(_extract_partition, boilerplate, job.default_date, keep).persist()
    meta = extracted.filter(lambda r: r[0] != "claim").compute()
    claims = extracted.filter(lambda r: r[0] == "claim")
    names = claims.pluck(2).filter(lambda s: s is not None).distinct().compute()

    from factcheck.entities import canonical_subjects

    canonical = client.scatter([canonical_subjects(names)], broadcast=True)[0]  # a dict alone would be scattered key by key
    keyed = claims.map(_keyed, canonical).filter(lambda r: r is not None).persist()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    npartitions = workers * BLOCK_PARTITIONS_PER_WORKER
    aligned = keyed.count().compute()
    # A key holding more than one block partition's fair share makes that partition the
    # run's straggler (and, at scale, overflows one worker's memory).
    limit = max(SKEW_MIN_CLAIMS, aligned // npartitions)
    heavy = dict(keyed.pluck(0).frequencies().filter(lambda kv, limit=limit: kv[1] > limit).compute())
    runs: dict[tuple[str, str], list[tuple[int, int]] | None] = {}
    if heavy:
        runs = dict(
            keyed.filter(lambda r, h=frozenset(heavy): r[0] in h)
            .foldby(lambda r: r[0], _add_span, list, _merge_spans)
            .compute()
        )
    for key, spans in sorted(runs.items()):
        log.info("cut block %s (%d claims) into %s", key, heavy[key], f"{len(spans)} runs by period" if spans else "nothing: a claim has no window")
    runs_f = client.scatter([runs], broadcast=True)[0]
    blocks = keyed.map(_shuffle_key, runs_f)
    grouped = blocks.groupby(lambda r: r[0], shuffle="tasks", npartitions=npartitions)
    compared = grouped.map(_compare_group).compute()
    total_claims = claims.count().compute()
    del extracted, keyed

    compared.sort(key=lambda r: r[0])  # (subject, metric, run): the local engine's block order
    findings: list[Finding] = []
    pairs = 0
    for _, found, n in compared:
        findings.extend(found)
        pairs += n
    documents, errors, warnings = _documents(meta, discovered, sources, keep)
    if job.progress is not None:
        job.progress("read", len(sources), len(sources))
    result = RunResult(documents, [], sort_findings(findings), errors, [*skipped, *warnings], pairs)
    result.claim_count, result.aligned_count, result.documents_complete = total_claims, aligned, keep
    return result


def _documents(meta: list, discovered: list[tuple], sources: list[work.Source], keep: bool):
    """Documents in article order, and errors where ingest.read_articles and
    pipeline.collect_claims put them: per batch of paths its discover errors, then its
    unreadable files in order; after all of them, articles that failed to parse."""
    read, parsed, docs = list(discovered), [], []
    for kind, index, value in meta:
        if kind == "read-error":
            read.append((sources[index].batch, 1, index, value))
        elif kind == "parse-error":
            parsed.append((index, value))
        else:
            docs.append((index, value))
    errors = [e for *_, e in sorted(read, key=lambda r: r[:3])] + [e for _, e in sorted(parsed, key=lambda r: r[0])]
    documents: list[Document] = []
    warnings: list[str] = []
    for _, document in sorted(docs, key=lambda r: r[0]):
        documents.append(document if keep else ArticleSummary.of(document))  # type: ignore[arg-type]
        warnings.extend(document.warnings)
    return documents, errors, warnings


# --------------------------------------------------------------------------- on the workers


def _candidate_lines(sources: Iterable[work.Source]) -> list[str]:
    out: list[str] = []
    for source in sources:
        try:
            text = source.read()
        except FactcheckError:
            continue  # reported by extraction, which reads it again
        counter = work.BoilerplateCounter()
        counter.min_docs = 1
        counter.add(text)
        out.extend(counter.lines)
    return out


def _extract_partition(sources: Iterable[work.Source], boilerplate: frozenset[str], default_date, keep: bool) -> list[tuple]:
    from factcheck.ingest import read_text

    out: list[tuple] = []
    for source in sources:
        read_warnings: list[str] = []
        try:
            if source.text is not None:
                text = source.text
            else:
                from pathlib import Path

                text, read_warnings = read_text(Path(source.path), source.display, source.max_bytes)  # type: ignore[arg-type]
        except FactcheckError as exc:
            out.append(("read-error", source.index, InputError(path=exc.path, line=exc.line, message=exc.message)))
            continue
        r = work.extract_one(source, text, boilerplate, default_date, probe=False)
        if r.document is None:
            out.append(("parse-error", source.index, r.error))
            continue
        document = with_read_warnings(r.document, read_warnings)
        if not keep:
            document = document.model_copy(update={"sentences": []})
        out.append(("doc", source.index, document))
        for j, ((subject, metric, blob), span) in enumerate(zip(r.claims, r.spans)):
            out.append(("claim", (source.index, j), subject, metric, span, blob))
    return out


def _keyed(record: tuple, canonical: dict[str, str]) -> tuple | None:
    _, place, subject, metric, span, blob = record
    if subject is None or metric is None:
        return None
    return ((canonical.get(subject, subject), metric), place, span, blob)


def _add_span(spans: list | None, record: tuple) -> list | None:
    # A partition's spans of one key; None once a claim without a window is seen.
    if spans is None or record[2] is None:
        return None
    spans.append(record[2])
    return spans


def _merge_spans(a: list | None, b: list | None) -> list[tuple[int, int]] | None:
    """Union of closed day intervals as sorted runs of overlapping windows; None (a claim
    with no calendar window somewhere) wins: that key is not cut."""
    if a is None or b is None:
        return None
    merged: list[tuple[int, int]] = []
    for start, end in sorted([*a, *b]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _shuffle_key(record: tuple, runs: dict) -> tuple:
    key, place, span, blob = record
    spans = runs.get(key)
    run = 0
    if spans:  # a heavy key cut by period: the run holding this claim's window
        run = bisect.bisect_right(spans, (span[0], float("inf"))) - 1
    return ((*key, run), place, blob)


def _compare_group(group: tuple) -> tuple[tuple, list[Finding], int]:
    shuffle_key, records = group
    ordered = sorted(records, key=lambda r: r[1])  # article, then position: the local order
    block = work.block_from_blobs(shuffle_key[:2], [r[2] for r in ordered])
    found, pairs = work.compare_one(block)
    return shuffle_key, found, pairs
