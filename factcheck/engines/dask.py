"""The Dask engine: `factcheck check --engine dask [--scheduler ADDRESS]`.

    every worker's factcheck version and rules fingerprint checked against the client's
    articles (paths; workers read the files) -> boilerplate lines counted on the cluster
      -> extraction mapped over partitions (claims stay on the workers, persisted,
         each claim's JSON zlib-packed: ~320 bytes)
      -> in one pass to the client: articles' metadata (a summary each in a large run),
         distinct subject names, the count of claims
      -> entities.canonical_subjects on the client, the mapping broadcast
      -> claims keyed by (canonical subject, metric), replacing the extraction's
         partitions on the workers (one copy of each claim is kept, not two)
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
machines cannot share it. A worker lost mid-run has its tasks recomputed by Dask. A run
that cannot finish (a restarted cluster, a task that keeps failing), or whose results do
not account for every article, aligned claim and block, raises FactcheckError and
reports nothing. A worker with another factcheck version or other rules (one that joins
mid-run included: every task checks) is one FactcheckError naming it.
"""

from __future__ import annotations

from factcheck.ingest import MAX_FILE_BYTES, MAX_SENTENCE_CHARS

import asyncio
import bisect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from factcheck import __version__
from factcheck.engines import usable_cores, work
from factcheck.engines.local import KEEP_DOCUMENTS_MAX
from factcheck.errors import FactcheckError
from factcheck.models import Document, Finding, InputError
from factcheck.pipeline import ArticleSummary, Progress, RunResult, sort_findings, with_read_warnings

log = logging.getLogger(__name__)

PARTITION_ARTICLES = 200  # articles per extraction partition
SKEW_MIN_CLAIMS = 200  # below this a key is never worth cutting
BLOCK_PARTITIONS_PER_WORKER = 4
PROFILE_OFF = {"distributed.worker.profile.enabled": False}  # for workers we start (see connect)


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
    import dask

    # Without Dask's statistical profiler: it samples the task's stack every 10 ms and keeps
    # an hour of those samples, which was most of a worker's growth (~20 KB an article).
    with dask.config.set(PROFILE_OFF):
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
        expected = (__version__, job.rules.fingerprint)
        plugin = type("FactcheckRules", (RulesPlugin, WorkerPlugin), {})(_rules_dir(job.rules))
        client.register_plugin(plugin, name=RulesPlugin.name)
        _check_workers(client, expected)
        with client.as_current():  # every compute below on this client, whatever other clients the process holds
            return _run(job, client, expected)
    except FactcheckError:
        raise
    except (Exception, asyncio.CancelledError) as exc:
        # A lost cluster, a task that kept failing, a client whose calls were cancelled
        # (asyncio's CancelledError is no Exception): never a partial report.
        raise FactcheckError("--engine dask", f"the run on the cluster failed, no report was made: {type(exc).__name__}: {exc}") from exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _rules_dir(rules) -> str | None:
    """The rules directory the workers load: None for the default rules, which a worker
    finds in its own install (a client's path may not exist on another machine; a worker
    whose rules differ is refused by the fingerprint check)."""
    from factcheck.rules import DEFAULT_RULES_DIR

    directory = getattr(rules, "directory", None)
    if directory is None or directory.resolve() == DEFAULT_RULES_DIR.resolve():
        return None
    return str(directory.resolve())


def _check_workers(client, expected: tuple[str, str]) -> None:
    """Every worker runs this factcheck version with these rules, or one clear error.
    Workers joining later are checked by every task (work.require_identity)."""
    found = client.run(work.identity)
    for address, got in sorted(found.items()):
        if tuple(got) != expected:
            raise FactcheckError("--scheduler", work.mismatch(address, tuple(got), expected))


def _run(job: DaskRun, client, expected: tuple[str, str]) -> RunResult:
    import dask
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
    # A partition: its articles' metadata (a summary each in a large run) and its claims
    # packed (work.pack_claim). Claims stay on the workers; the client gets the metadata,
    # the distinct subject names and the count of claims, in one pass.
    extracted = bag.map_partitions(_extract_partition, boilerplate, job.default_date, keep, expected).persist()
    meta, names, total_claims = dask.compute(
        extracted.map_partitions(_meta_of), extracted.map_partitions(_names_of).distinct(), extracted.map_partitions(_count_of).sum()
    )

    from factcheck.extract.entities import canonical_subjects

    canonical = client.scatter([canonical_subjects(names)], broadcast=True)[0]  # a dict alone would be scattered key by key
    del names
    # Keyed claims replace the extraction's partitions on the workers: one copy of each claim.
    keyed = extracted.map_partitions(_keyed_partition, canonical).persist()
    del extracted
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    npartitions = workers * BLOCK_PARTITIONS_PER_WORKER
    aligned, sizes = dask.compute(keyed.count(), keyed.pluck(0).frequencies())
    # A key holding more than one block partition's fair share makes that partition the
    # run's straggler (and, at scale, overflows one worker's memory).
    limit = max(SKEW_MIN_CLAIMS, aligned // npartitions)
    heavy = {k: n for k, n in sizes if n > limit}
    blocks_expected = len(sizes)
    del sizes
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
    compared_bag = (
        keyed.map(_shuffle_key, runs_f).groupby(lambda r: r[0], shuffle="tasks", npartitions=npartitions).map(_compare_group, expected)
    )
    # Submitted, then the client lets go of the keyed claims: each is freed on its worker
    # once the shuffle has read it, instead of staying until the last block is compared.
    future = client.compute(compared_bag)
    del keyed, compared_bag
    compared = future.result()
    del future

    findings, pairs, counted = [], 0, 0
    compared.sort(key=lambda r: r[0])  # (subject, metric, run): the local engine's block order
    for _, found, n, size in compared:
        findings.extend(found)
        pairs += n
        counted += size
    # Complete or nothing: every article, every aligned claim and every block came back.
    indexes = sorted(r[1] for r in meta)
    if indexes != list(range(len(sources))) or counted != aligned or len({r[0][:2] for r in compared}) != blocks_expected:
        raise FactcheckError(
            "--engine dask",
            f"the run on the cluster came back incomplete ({len(set(indexes))} of {len(sources)} articles, "
            f"{counted} of {aligned} claims compared), no report was made",
        )
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
    for kind, index, value, document_warnings in meta:
        if kind == "read-error":
            read.append((sources[index].batch, 1, index, value))
        elif kind == "parse-error":
            parsed.append((index, value))
        else:
            docs.append((index, (value, document_warnings)))
    meta.clear()
    errors = [e for *_, e in sorted(read, key=lambda r: r[:3])] + [e for _, e in sorted(parsed, key=lambda r: r[0])]
    documents: list[Document] = []
    warnings: list[str] = []
    for _, (document, document_warnings) in sorted(docs, key=lambda r: r[0]):
        documents.append(document)
        warnings.extend(document_warnings)
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


def _extract_partition(sources: Iterable[work.Source], boilerplate: frozenset[str], default_date, keep: bool, expected) -> list[tuple]:
    """[(metadata per article, claims)]: one element, so that the two parts can be read
    apart without extracting twice. Metadata: (kind, article index, value, warnings), the
    value a Document (sentences kept only with `keep`, else an ArticleSummary), or an
    InputError. Claims: ((article, position), subject, metric, span, packed claim)."""
    from factcheck.extract.parse import parse_zone
    from factcheck.ingest import read_text

    work.require_identity(expected)
    meta: list[tuple] = []
    claims: list[tuple] = []
    with parse_zone():  # one parse memory zone per partition, as in work.extract_chunk
        for source in sources:
            read_warnings: list[str] = []
            try:
                if source.text is not None:
                    text = source.text
                else:
                    from pathlib import Path

                    text, read_warnings = read_text(Path(source.path), source.display, source.max_bytes)  # type: ignore[arg-type]
            except FactcheckError as exc:
                meta.append(("read-error", source.index, InputError(path=exc.path, line=exc.line, message=exc.message), ()))
                continue
            r = work.extract_one(source, text, boilerplate, default_date, probe=False)
            if r.document is None:
                meta.append(("parse-error", source.index, r.error, ()))
                continue
            document = with_read_warnings(r.document, read_warnings)
            value = document if keep else ArticleSummary.of(document)
            meta.append(("doc", source.index, value, tuple(document.warnings)))
            for j, ((subject, metric, blob), span) in enumerate(zip(r.claims, r.spans)):
                claims.append(((source.index, j), subject, metric, span, work.pack_blob(blob)))
    return [(meta, claims)]


def _meta_of(partition: list[tuple]) -> list[tuple]:
    return partition[0][0]


def _names_of(partition: list[tuple]) -> list[str]:
    return list({c[1] for c in partition[0][1] if c[1] is not None})


def _count_of(partition: list[tuple]) -> list[int]:
    return [len(partition[0][1])]


def _keyed_partition(partition: list[tuple], canonical: dict[str, str]) -> list[tuple]:
    """The aligned claims as ((canonical subject, metric), place, span, packed claim)."""
    return [
        ((canonical.get(subject, subject), metric), place, span, blob)
        for place, subject, metric, span, blob in partition[0][1]
        if subject is not None and metric is not None
    ]


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


def _compare_group(group: tuple, expected) -> tuple[tuple, list[Finding], int, int]:
    work.require_identity(expected)
    shuffle_key, records = group
    ordered = sorted(records, key=lambda r: r[1])  # article, then position: the local order
    block = work.block_from_blobs(shuffle_key[:2], [work.unpack_blob(r[2]) for r in ordered])
    found, pairs = work.compare_one(block)
    return shuffle_key, found, pairs, len(ordered)
