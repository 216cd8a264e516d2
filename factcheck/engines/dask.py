"""The Dask engine: `factcheck check --engine dask [--scheduler ADDRESS]`.

    every worker's factcheck version and rules fingerprint checked against the client's
    articles (paths; workers read the files) -> boilerplate lines counted on the cluster
      -> extraction mapped over partitions (claims stay on the workers, persisted, a
         partition's claims pickled and zlib-packed in one piece: ~0.3 KB an article)
      -> from each partition to the client: articles' metadata (a summary each in a
         large run), distinct subject names, the count of claims
      -> entities.canonical_subjects on the client, the mapping broadcast
      -> claims keyed by (canonical subject, metric), replacing the extraction's
         partitions on the workers (one copy of each claim is kept, not two)
      -> keys holding more than a block partition's fair share cut by period (see below)
      -> each partition's claims cut into one packed piece per bucket of block keys,
         the pieces shuffled by bucket -> comparison per block -> findings as JSON,
         fetched by the client partition by partition

The client holds the articles' paths and metadata and the findings, never the claims.
Findings are sorted exactly as the local engine sorts them, so reports are identical.

Memory: what waits on a worker is packed, a few objects per partition rather than a few
per claim, and no step gathers a whole collection onto one worker (a bag's `compute`
joins its partitions into one list on a worker before the client gets it: every
finding of the run, as pydantic objects, on one worker). Measured in docs/benchmarks.md,
"Dask workers' memory, fourth pass".

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

import asyncio
import bisect
import logging
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.cores import usable_cores
from factcheck.engines import work
from factcheck.engines.local import KEEP_DOCUMENTS_MAX
from factcheck.errors import FactcheckError
from factcheck.extract.entities import canonical_subjects
from factcheck.extract.parse import parse_zone
from factcheck.ingest import MAX_FILE_BYTES, MAX_SENTENCE_CHARS, read_text
from factcheck.models import Document, Finding, InputError
from factcheck.pipeline import ArticleSummary, Progress, RunResult, sort_findings, with_read_warnings
from factcheck.rules import DEFAULT_RULES_DIR
from factcheck.version import __version__

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
    try:  # optional heavy dependency (the dask extra): imported only by runs on --engine dask
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise FactcheckError("--engine dask", f"needs dask[distributed] ({exc.name} is missing): pip install 'factcheck[dask]'") from None


def connect(scheduler: str | None, workers: int | None):
    """A Client on the scheduler given, else on a LocalCluster of worker processes."""
    from distributed import Client, LocalCluster  # optional heavy dependency (the dask extra)

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise FactcheckError("--scheduler", f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    import dask  # optional heavy dependency (the dask extra)

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
    from distributed import WorkerPlugin  # optional heavy dependency (the dask extra)

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
    import dask.bag as db  # optional heavy dependency (the dask extra)

    # Paths are discovered here; the workers read the files.
    skipped: list[str] = []
    sources, discovered = work.scan(
        job.items, job.excluded, None, read=False, max_bytes=job.max_bytes, max_sentence_chars=job.max_sentence_chars, warnings=skipped
    )
    keep = job.keep_documents if job.keep_documents is not None else len(sources) <= KEEP_DOCUMENTS_MAX
    if not sources:
        return RunResult([], [], [], [e for *_, e in sorted(discovered, key=lambda r: r[:3])], skipped)
    # A partition is its articles' Sources packed in one piece: a worker keeps a task's
    # inputs (its run_spec, and those of the tasks it depends on) for as long as it keeps
    # the task's result, and the extraction's results are kept to the end of extraction.
    # As objects, the Sources were ~0.5 KB an article there; packed, ~15 bytes.
    chunks = [_pack(sources[i : i + PARTITION_ARTICLES]) for i in range(0, len(sources), PARTITION_ARTICLES)]
    bag = db.from_sequence(chunks, npartitions=len(chunks))
    del chunks

    boilerplate = frozenset(
        bag.map_partitions(_candidate_lines).frequencies().filter(lambda kv: kv[1] >= work.BOILERPLATE_MIN_DOCS).pluck(0).compute()
    )
    if job.progress is not None:
        job.progress("read", 0, len(sources))
    # The boilerplate set goes to each worker once, not inside every extraction task, for
    # the same reason (1,334 lines at 10,000 articles: 245 KB a copy). An extraction
    # partition: its articles' metadata (a summary each in a large run) and its claims,
    # each packed in one piece, and its count of claims. Claims stay on the workers; the
    # client gets each partition's metadata, subject names and count, fetched from its
    # worker directly (_gather), never joined into one list on a worker first.
    boilerplate_f = client.scatter([boilerplate], broadcast=True)[0]
    del boilerplate
    extracted = bag.map_partitions(_extract_partition, boilerplate_f, job.default_date, keep, expected).persist()
    meta: list[tuple] = []
    names: set[str] = set()
    total_claims = 0
    for ((part_meta, part_names, count),) in _gather(client, extracted.map_partitions(_summary_of)):
        meta.extend(part_meta)
        names.update(part_names)
        total_claims += count

    canonical = client.scatter([canonical_subjects(names)], broadcast=True)[0]  # a dict alone would be scattered key by key
    del names
    # Keyed claims replace the extraction's partitions on the workers: one copy of each claim.
    keyed = extracted.map_partitions(_keyed_partition, canonical).persist()
    del extracted
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    npartitions = workers * BLOCK_PARTITIONS_PER_WORKER
    sizes: dict[tuple[str, str], int] = {}
    for part in _gather(client, keyed.map_partitions(_key_sizes)):
        for key, n in part:
            sizes[key] = sizes.get(key, 0) + n
    aligned = sum(sizes.values())
    # A key holding more than one block partition's fair share makes that partition the
    # run's straggler (and, at scale, overflows one worker's memory).
    limit = max(SKEW_MIN_CLAIMS, aligned // npartitions)
    heavy = {k: n for k, n in sizes.items() if n > limit}
    blocks_expected = len(sizes)
    del sizes
    runs: dict[tuple[str, str], list[tuple[int, int]] | None] = {}
    if heavy:
        runs = dict(
            keyed.map_partitions(_heavy_spans, frozenset(heavy))
            .foldby(lambda r: r[0], lambda acc, r: _merge_spans(acc, r[1]), list, _merge_spans)
            .compute()
        )
    for key, spans in sorted(runs.items()):
        log.info("cut block %s (%d claims) into %s", key, heavy[key], f"{len(spans)} runs by period" if spans else "nothing: a claim has no window")
    runs_f = client.scatter([runs], broadcast=True)[0]
    # The shuffle moves one packed piece per (extraction partition, bucket), not a record
    # per claim; a bucket's blocks are compared on one worker and come back as JSON.
    compared_bag = (
        keyed.map_partitions(_split, runs_f, npartitions)
        .groupby(lambda r: r[0], shuffle="tasks", npartitions=npartitions)
        .map(_compare_bucket, expected)
    )
    # Submitted, then the client lets go of the keyed claims: each is freed on its worker
    # once the shuffle has read it, instead of staying until the last block is compared.
    compared = _gather(client, compared_bag)
    del keyed, compared_bag

    found_blocks: list[tuple[tuple, bytes]] = []
    pairs, counted, compared_keys = 0, 0, set()
    for part in compared:
        for n, size, keys, packed in part:
            pairs += n
            counted += size
            compared_keys.update(keys)
            found_blocks.extend(_unpack(packed))
    # Complete or nothing: every article, every aligned claim and every block came back.
    indexes = sorted(r[1] for r in meta)
    if indexes != list(range(len(sources))) or counted != aligned or len(compared_keys) != blocks_expected:
        raise FactcheckError(
            "--engine dask",
            f"the run on the cluster came back incomplete ({len(set(indexes))} of {len(sources)} articles, "
            f"{counted} of {aligned} claims compared), no report was made",
        )
    del compared_keys
    findings: list[Finding] = []
    shared = work.SharedParts()
    found_blocks.sort(key=lambda r: r[0])  # (subject, metric, run): the local engine's block order
    for i, (_, blob) in enumerate(found_blocks):
        findings.extend(work.unpack_findings(blob, shared))
        found_blocks[i] = None  # type: ignore[call-overload]
    del found_blocks
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


def _gather(client, bag) -> Iterator:
    """The bag's partitions, submitted now and fetched one by one from the workers that
    hold them; each is let go of on the cluster once fetched. (`compute` of a bag would
    first join every partition into one list on one worker.)"""
    futures = client.compute(bag.to_delayed())

    def results() -> Iterator:
        for i, future in enumerate(futures):
            futures[i] = None
            yield future.result()

    return results()


def _pack(value: Any) -> bytes:
    """A partition's records in one compressed piece (pickled: plain tuples of str, int
    and bytes): a few hundred bytes an article instead of a Python object per field."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(packed: bytes) -> Any:
    return pickle.loads(zlib.decompress(packed))


# --------------------------------------------------------------------------- on the workers


def _sources(chunks: Iterable[bytes]) -> Iterator[work.Source]:
    for packed in chunks:
        yield from _unpack(packed)


def _candidate_lines(chunks: Iterable[bytes]) -> list[str]:
    out: list[str] = []
    for source in _sources(chunks):
        try:
            text = source.read()
        except FactcheckError:
            continue  # reported by extraction, which reads it again
        counter = work.BoilerplateCounter()
        counter.min_docs = 1
        counter.add(text)
        out.extend(counter.lines)
    return out


def _extract_partition(chunks: Iterable[bytes], boilerplate: frozenset[str], default_date, keep: bool, expected) -> list[tuple]:
    """[(metadata per article, count of claims, claims)]: one element, so that the parts
    can be read apart without extracting twice; metadata and claims are packed, each in
    one piece (_pack). Metadata: (kind, article index, value, warnings), the value a
    Document (sentences kept only with `keep`, else an ArticleSummary), or an InputError.
    Claims: ((article, position), subject, metric, span, claim JSON)."""
    work.require_identity(expected)
    meta: list[tuple] = []
    claims: list[tuple] = []
    with parse_zone():  # one parse memory zone per partition, as in work.extract_chunk
        for source in _sources(chunks):
            read_warnings: list[str] = []
            try:
                if source.text is not None:
                    text = source.text
                else:
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
                claims.append(((source.index, j), subject, metric, span, blob))
    return [(_pack(meta), len(claims), _pack(claims))]


def _summary_of(partition: list[tuple]) -> list[tuple]:
    """What the client needs of a partition: its metadata, its distinct subject names and
    its count of claims."""
    meta, count, packed = partition[0]
    return [(_unpack(meta), sorted({c[1] for c in _unpack(packed) if c[1] is not None}), count)]


def _keyed_partition(partition: list[tuple], canonical: dict[str, str]) -> list[bytes]:
    """The aligned claims, packed, as ((canonical subject, metric), place, span, claim JSON)."""
    return [
        _pack([
            ((canonical.get(subject, subject), metric), place, span, blob)
            for place, subject, metric, span, blob in _unpack(partition[0][2])
            if subject is not None and metric is not None
        ])
    ]  # fmt: skip


def _key_sizes(partition: list[bytes]) -> list[tuple]:
    """[(key, claims of the key in this partition)]"""
    sizes: dict[tuple[str, str], int] = {}
    for record in _unpack(partition[0]):
        sizes[record[0]] = sizes.get(record[0], 0) + 1
    return list(sizes.items())


def _heavy_spans(partition: list[bytes], heavy: frozenset) -> list[tuple]:
    """(key, its claims' windows in this partition merged into runs, or None) per heavy key."""
    spans: dict[tuple[str, str], list | None] = {}
    for key, _, span, _ in _unpack(partition[0]):
        if key in heavy:
            found = spans.setdefault(key, [])
            if found is not None:
                if span is None:
                    spans[key] = None
                else:
                    found.append(span)
    return [(key, None if found is None else _merge_spans(found, [])) for key, found in spans.items()]


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


def _shuffle_key(key: tuple[str, str], span, runs: dict) -> tuple:
    spans = runs.get(key)
    run = 0
    if spans:  # a heavy key cut by period: the run holding this claim's window
        run = bisect.bisect_right(spans, (span[0], float("inf"))) - 1
    return (*key, run)


def _bucket(shuffle_key: tuple, buckets: int) -> int:
    # crc32, not hash(): a str's hash differs from one worker process to the next.
    return zlib.crc32("\x00".join(map(str, shuffle_key)).encode("utf-8", "surrogatepass")) % buckets


def _split(partition: list[bytes], runs: dict, buckets: int) -> list[tuple[int, bytes]]:
    """The partition's claims cut by bucket of their shuffle key: [(bucket, packed
    [(shuffle key, place, claim JSON)])], one piece per bucket it has claims for."""
    out: dict[int, list[tuple]] = {}
    for key, place, span, blob in _unpack(partition[0]):
        shuffle_key = _shuffle_key(key, span, runs)
        out.setdefault(_bucket(shuffle_key, buckets), []).append((shuffle_key, place, blob))
    return [(bucket, _pack(records)) for bucket, records in sorted(out.items())]


def _compare_bucket(group: tuple, expected) -> tuple[int, int, list[tuple[str, str]], bytes]:
    """Every block of a bucket compared: (pairs compared, claims, block keys, packed
    [(shuffle key, findings JSON)] for the blocks with findings)."""
    work.require_identity(expected)
    _, pieces = group
    blocks: dict[tuple, list[tuple]] = {}
    for _, packed in pieces:
        for shuffle_key, place, blob in _unpack(packed):
            blocks.setdefault(shuffle_key, []).append((place, blob))
    pairs = size = 0
    keys = sorted({shuffle_key[:2] for shuffle_key in blocks})
    found_blocks: list[tuple[tuple, bytes]] = []
    for shuffle_key in sorted(blocks):
        records = blocks.pop(shuffle_key)
        records.sort(key=lambda r: r[0])  # article, then position: the local order
        found, n = work.compare_one(work.block_from_blobs(shuffle_key[:2], [r[1] for r in records]))
        pairs += n
        size += len(records)
        if found:
            found_blocks.append((shuffle_key, work.pack_findings(found)))
    return pairs, size, keys, _pack(found_blocks)
