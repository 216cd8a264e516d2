"""The Dask engine: `factcheck check --engine dask [--scheduler ADDRESS]`.

    every worker's factcheck version and rules fingerprint checked against the client's
    articles (paths; workers read the files) -> boilerplate lines counted on the cluster
      -> extraction mapped over partitions (claims stay on the workers, persisted, a
         partition's claims pickled and zlib-packed in one piece: ~0.3 KB an article)
      -> from each partition to the client: articles' metadata (a summary each in a
         large run), each article's date and names (link.article_names), the count of
         claims
      -> link.stories on the client, the story of each article broadcast
      -> claims keyed by link.link_key (story, quantity family), replacing the
         extraction's partitions on the workers (one copy of each claim is kept, not two)
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

Skew: a shuffle sends a key to one worker, so one story's figures of one kind are
compared on one worker. Blocking keeps stories to the articles that name a company in
common within a week (link.stories); a story of most of an archive would be one worker's.

The stage cache is not used here: it is a file on one machine, and workers on other
machines cannot share it. A worker lost mid-run has its tasks recomputed by Dask. A run
that cannot finish (a restarted cluster, a task that keeps failing), or whose results do
not account for every article, aligned claim and block, raises FactcheckError and
reports nothing. A worker with another factcheck version or other rules (one that joins
mid-run included: every task checks) is one FactcheckError naming it.
"""

from __future__ import annotations

import asyncio
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
from factcheck.link import ArticleNames, stories
from factcheck.extract.parse import parse_zone
from factcheck.ingest import MAX_FILE_BYTES, MAX_SENTENCE_CHARS, read_text
from factcheck.models import Document, Finding, InputError
from factcheck.pipeline import PARSE_AHEAD_ARTICLES, ArticleSummary, Progress, RunResult, parse_ahead, sort_findings, with_read_warnings
from factcheck.rules import DEFAULT_RULES_DIR
from factcheck.version import __version__

log = logging.getLogger(__name__)

PARTITION_ARTICLES = 200  # articles per extraction partition
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
    named: list[tuple] = []
    total_claims = 0
    for ((part_meta, part_named, count),) in _gather(client, extracted.map_partitions(_summary_of)):
        meta.extend(part_meta)
        named.extend(part_named)
        total_claims += count

    named.sort(key=lambda r: r[0])  # article order, as the local engine meets them
    story = dict(zip((r[0] for r in named), stories([r[1] for r in named], job.rules)))
    story_f = client.scatter([story], broadcast=True)[0]  # a dict alone would be scattered key by key
    del named, story
    # Keyed claims replace the extraction's partitions on the workers: one copy of each claim.
    keyed = extracted.map_partitions(_keyed_partition, story_f).persist()
    del extracted
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    npartitions = workers * BLOCK_PARTITIONS_PER_WORKER
    sizes: dict[tuple[str, str], int] = {}
    for part in _gather(client, keyed.map_partitions(_key_sizes)):
        for key, n in part:
            sizes[key] = sizes.get(key, 0) + n
    aligned = sum(sizes.values())
    blocks_expected = len(sizes)
    del sizes
    # The shuffle moves one packed piece per (extraction partition, bucket), not a record
    # per claim; a bucket's blocks are compared on one worker and come back as JSON.
    compared_bag = (
        keyed.map_partitions(_split, npartitions)
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
    indexes = sorted(r[1] for r in meta if r[0] != "findings")
    if indexes != list(range(len(sources))) or counted != aligned or len(compared_keys) != blocks_expected:
        raise FactcheckError(
            "--engine dask",
            f"the run on the cluster came back incomplete ({len(set(indexes))} of {len(sources)} articles, "
            f"{counted} of {aligned} claims compared), no report was made",
        )
    del compared_keys
    findings: list[Finding] = []
    shared = work.SharedParts()
    found_blocks.sort(key=lambda r: r[0])  # (story, family): the local engine's block order
    for i, (_, blob) in enumerate(found_blocks):
        findings.extend(work.unpack_findings(blob, shared))
        found_blocks[i] = None  # type: ignore[call-overload]
    del found_blocks
    documents, errors, warnings, own = _documents(meta, discovered, sources, keep)
    for _, blob in sorted(own, key=lambda r: r[0]):
        findings.extend(work.unpack_findings(blob, shared))
    if job.progress is not None:
        job.progress("read", len(sources), len(sources))
    result = RunResult(documents, [], sort_findings(findings), errors, [*skipped, *warnings], pairs)
    result.claim_count, result.aligned_count, result.documents_complete = total_claims, aligned, keep
    return result


def _documents(meta: list, discovered: list[tuple], sources: list[work.Source], keep: bool):
    """Documents in article order, and errors where ingest.read_articles and
    pipeline.collect_claims put them: per batch of paths its discover errors, then its
    unreadable files in order; after all of them, articles that failed to parse."""
    read, parsed, docs, own = list(discovered), [], [], []
    for kind, index, value, document_warnings in meta:
        if kind == "read-error":
            read.append((sources[index].batch, 1, index, value))
        elif kind == "parse-error":
            parsed.append((index, value))
        elif kind == "findings":
            own.append((index, value))
        else:
            docs.append((index, (value, document_warnings)))
    meta.clear()
    errors = [e for *_, e in sorted(read, key=lambda r: r[:3])] + [e for _, e in sorted(parsed, key=lambda r: r[0])]
    documents: list[Document] = []
    warnings: list[str] = []
    for _, (document, document_warnings) in sorted(docs, key=lambda r: r[0]):
        documents.append(document)
        warnings.extend(document_warnings)
    return documents, errors, warnings, own


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


def _read_ahead(sources: Iterable[work.Source], boilerplate: frozenset[str], default_date) -> Iterator[tuple]:
    """(source, text, read warnings), or (source, the error reading it), for each source in
    order; the figure sentences of each run of PARSE_AHEAD_ARTICLES parsed together
    before the run is handed on (pipeline.parse_ahead, as work.extract_chunk does)."""
    window: list[tuple] = []
    for source in sources:
        try:
            if source.text is not None:
                window.append((source, source.text, []))
            else:
                window.append((source, *read_text(Path(source.path), source.display, source.max_bytes)))  # type: ignore[arg-type]
        except FactcheckError as exc:
            window.append((source, InputError(path=exc.path, line=exc.line, message=exc.message)))
        if len(window) >= PARSE_AHEAD_ARTICLES:
            yield from _parsed_ahead(window, boilerplate, default_date)
            window = []
    yield from _parsed_ahead(window, boilerplate, default_date)


def _parsed_ahead(window: list[tuple], boilerplate: frozenset[str], default_date) -> list[tuple]:
    read = [(r[1], r[0].display, r[0].suffix, r[0].published or default_date, r[0].max_sentence_chars) for r in window if len(r) == 3]
    parse_ahead(read, boilerplate, work.worker_rules())
    return window


def _extract_partition(chunks: Iterable[bytes], boilerplate: frozenset[str], default_date, keep: bool, expected) -> list[tuple]:
    """[(metadata per article, count of claims, claims)]: one element, so that the parts
    can be read apart without extracting twice; metadata and claims are packed, each in
    one piece (_pack). Metadata: (kind, article index, value, warnings), the value a
    Document (sentences kept only with `keep`, else an ArticleSummary), or an InputError.
    Claims: ((article, position), quantity family, claim JSON). Names: (article,
    link.ArticleNames) for each article with claims."""
    work.require_identity(expected)
    meta: list[tuple] = []
    claims: list[tuple] = []
    named: list[tuple] = []
    with parse_zone():  # one parse memory zone per partition, as in work.extract_chunk
        for source, *got in _read_ahead(_sources(chunks), boilerplate, default_date):
            if len(got) == 1:
                meta.append(("read-error", source.index, got[0], ()))
                continue
            text, read_warnings = got
            r = work.extract_one(source, text, boilerplate, default_date, probe=False)
            if r.document is None:
                meta.append(("parse-error", source.index, r.error, ()))
                continue
            document = with_read_warnings(r.document, read_warnings)
            value = document if keep else ArticleSummary.of(document)
            meta.append(("doc", source.index, value, tuple(document.warnings)))
            if r.findings:  # what the article makes on its own (FC201-FC203), as JSON
                meta.append(("findings", source.index, work.pack_findings(r.findings), ()))
            if r.claims:
                named.append((source.index, ArticleNames(document.path, document.published, r.names)))
            for j, (family, blob) in enumerate(r.claims):
                claims.append(((source.index, j), family, blob))
    return [(_pack(meta), _pack(named), len(claims), _pack(claims))]


def _summary_of(partition: list[tuple]) -> list[tuple]:
    """What the client needs of a partition: its metadata, its articles' names and its
    count of claims."""
    meta, named, count, _ = partition[0]
    return [(_unpack(meta), _unpack(named), count)]


def _keyed_partition(partition: list[tuple], story: dict[int, str]) -> list[bytes]:
    """The claims that take part in linkage, packed, as (link key, place, claim JSON)."""
    return [
        _pack([
            ((story[place[0]], family), place, blob)
            for place, family, blob in _unpack(partition[0][3])
            if family is not None
        ])
    ]  # fmt: skip


def _key_sizes(partition: list[bytes]) -> list[tuple]:
    """[(key, claims of the key in this partition)]"""
    sizes: dict[tuple[str, str], int] = {}
    for record in _unpack(partition[0]):
        sizes[record[0]] = sizes.get(record[0], 0) + 1
    return list(sizes.items())


def _bucket(key: tuple, buckets: int) -> int:
    # crc32, not hash(): a str's hash differs from one worker process to the next.
    return zlib.crc32("\x00".join(map(str, key)).encode("utf-8", "surrogatepass")) % buckets


def _split(partition: list[bytes], buckets: int) -> list[tuple[int, bytes]]:
    """The partition's claims cut by bucket of their block key: [(bucket, packed
    [(key, place, claim JSON)])], one piece per bucket it has claims for."""
    out: dict[int, list[tuple]] = {}
    for key, place, blob in _unpack(partition[0]):
        out.setdefault(_bucket(key, buckets), []).append((key, place, blob))
    return [(bucket, _pack(records)) for bucket, records in sorted(out.items())]


def _compare_bucket(group: tuple, expected) -> tuple[int, int, list[tuple[str, str]], bytes]:
    """Every block of a bucket compared: (pairs compared, claims, block keys, packed
    [(shuffle key, findings JSON)] for the blocks with findings)."""
    work.require_identity(expected)
    _, pieces = group
    blocks: dict[tuple, list[tuple]] = {}
    for _, packed in pieces:
        for key, place, blob in _unpack(packed):
            blocks.setdefault(key, []).append((place, blob))
    pairs = size = 0
    keys = sorted(blocks)
    found_blocks: list[tuple[tuple, bytes]] = []
    for key in keys:
        records = blocks.pop(key)
        records.sort(key=lambda r: r[0])  # article, then position: the local order
        found, n = work.compare_one(work.unpack_claims(r[1] for r in records))
        pairs += n
        size += len(records)
        if found:
            found_blocks.append((key, work.pack_findings(found)))
    return pairs, size, keys, _pack(found_blocks)
