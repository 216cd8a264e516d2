"""Where a Dask worker's memory goes: one `--engine dask` run (the engine's own code, on a
LocalCluster started here as the engine starts its own: worker processes of one thread,
no profiler), every process's RSS sampled twice a second, and each worker asked every
--every seconds what it holds.

    .venv/bin/python bench/dask_memory.py bench/out/scale/N10000-seed7 [--workers 2] [--every 10]
    .venv/bin/python bench/dask_memory.py bench/out/scale/N3000-seed7 --workers 1 --tracemalloc

Printed per worker, at the start of extraction, its end (when the client has every
partition's names: the engine then calls canonical_subjects) and the end of the run: RSS,
the bytes in Python's allocated blocks (sys._debugmallocstats), glibc's heap in use and
free (mallinfo2, every arena), the worker's keys in memory and the size Dask estimates for
them (dask.sizeof), and the tasks it knows. Then the peak RSS of every process (this one
is the client, the scheduler and the nannies, as in the CLI) and each worker's growth per
article it extracted. The samples go to stderr as they are taken.

With --tracemalloc each worker traces Python's allocations from the start of extraction
(after the rules and the parse model are loaded) and prints, at its end, the allocation
sites of what is still allocated, largest first (slow: read its RSS column only as a
trend).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's factcheck

import psutil  # noqa: E402


def _obmalloc() -> dict[str, float]:
    """Python's small-object allocator: MB in allocated blocks, arenas in use."""
    saved = os.dup(2)
    with tempfile.TemporaryFile("w+") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        fh.seek(0)
        text = fh.read()
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# bytes in allocated blocks") and "py_blocks" not in out:
            out["py_blocks"] = int(line.split("=")[-1].replace(",", "")) / 2**20
        elif line.startswith("# arenas allocated current") and "py_arenas" not in out:
            out["py_arenas"] = int(line.split("=")[-1].replace(",", ""))
    return out


def _glibc() -> dict[str, float]:
    class Mallinfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = Mallinfo2
    except (OSError, AttributeError):
        return {}
    m = libc.mallinfo2()
    return {"heap_used": m.uordblks / 2**20, "heap_free": m.fordblks / 2**20, "mmapped": m.hblkhd / 2**20}


def held(dask_worker=None) -> dict[str, float]:
    """Run on a worker (Client.run): what it holds now."""
    from dask.sizeof import sizeof

    w = dask_worker
    out = {"rss": psutil.Process().memory_info().rss / 2**20, "keys": len(w.data), "tasks": len(w.state.tasks)}
    out["data_mb"] = sum(sizeof(v) for v in list(w.data.values())) / 2**20
    out.update(_obmalloc())
    out.update(_glibc())
    return out


def trace_start(dask_worker=None) -> None:
    import tracemalloc

    tracemalloc.start(12)


def trace_top(limit: int, dask_worker=None) -> list[tuple[float, int, str]]:
    """What is allocated now that was allocated since trace_start, by traceback."""
    import gc
    import tracemalloc

    gc.collect()
    stats = tracemalloc.take_snapshot().statistics("traceback")
    tracemalloc.stop()
    return [(s.size / 2**20, s.count, "\n".join(s.traceback.format(limit=-8))) for s in stats[:limit]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--every", type=float, default=10.0, help="seconds between asking the workers what they hold")
    ap.add_argument("--tracemalloc", action="store_true", help="the allocation sites of what extraction leaves allocated")
    args = ap.parse_args()

    import dask
    from distributed import Client, LocalCluster

    import factcheck.extract.entities as entities
    from factcheck.engines import dask as engine
    from factcheck.rules import load_rules

    with dask.config.set(engine.PROFILE_OFF):
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    probe = Client(cluster)
    t0 = time.perf_counter()
    marks: dict[str, dict] = {}
    stop = threading.Event()
    peaks: dict[int, float] = {}
    names = {psutil.Process().pid: "client"}
    for address, pid in probe.run(os.getpid).items():
        names[pid] = "worker " + address.rsplit(":", 1)[-1]

    def sample() -> None:
        procs = [psutil.Process(), *psutil.Process().children(recursive=True)]
        while not stop.is_set():
            for p in procs:
                try:
                    rss = p.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
            stop.wait(0.5)

    def ask() -> None:
        while not stop.wait(args.every):
            for address, got in sorted(probe.run(held).items()):
                print(f"{time.perf_counter() - t0:7.1f} s  {address.rsplit(':', 1)[-1]}  "
                      + "  ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in got.items()), file=sys.stderr, flush=True)  # fmt: skip

    def mark(name: str) -> None:
        marks[name] = {"t": time.perf_counter() - t0, **probe.run(held)}

    scan, canonical = engine.work.scan, entities.canonical_subjects

    traced: dict = {}

    def scan_marked(*a, **k):
        if args.tracemalloc:
            probe.run(trace_start)
        mark("extraction starts")
        return scan(*a, **k)

    def canonical_marked(found):
        mark("extraction ends")
        if args.tracemalloc:
            traced.update(probe.run(trace_top, 15))
        return canonical(found)

    engine.work.scan, entities.canonical_subjects = scan_marked, canonical_marked
    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=ask, daemon=True)]
    for t in threads:
        t.start()
    c0 = time.process_time()
    result = engine.run(engine.DaskRun([args.folder], load_rules(None), None, None, None, cluster.scheduler_address, None, None))
    mark("run ends")
    stop.set()
    for t in threads:
        t.join()
    articles = len(result.documents)
    print(f"{args.folder}: {articles} articles, {result.claim_count} claims, {len(result.findings)} findings, "
          f"{time.perf_counter() - t0:.0f} s wall (client CPU {time.process_time() - c0:.0f} s)")  # fmt: skip
    columns = ("rss", "py_blocks", "heap_used", "heap_free", "keys", "data_mb", "tasks")
    print("\n| worker | when | s | " + " | ".join(columns) + " |")
    print("|---|---|---|" + "---|" * len(columns))
    for address in sorted(marks["run ends"]):
        if address == "t":
            continue
        for when, got in marks.items():
            row = got[address]
            print(f"| {address.rsplit(':', 1)[-1]} | {when} | {got['t']:.0f} | " + " | ".join(
                f"{row.get(c, float('nan')):.1f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns) + " |")  # fmt: skip
    print("\nPeak RSS, MB: " + ", ".join(f"{names.get(pid, pid)} {mb:.0f}" for pid, mb in sorted(peaks.items(), key=lambda kv: -kv[1])))
    per_worker = articles / max(1, args.workers)
    for address in sorted(marks["run ends"]):
        if address == "t":
            continue
        a, b = marks["extraction starts"][address], marks["extraction ends"][address]
        print(f"worker {address.rsplit(':', 1)[-1]}: during extraction RSS {1024 * (b['rss'] - a['rss']) / per_worker:+.2f} KB, "
              f"Python blocks {1024 * (b['py_blocks'] - a['py_blocks']) / per_worker:+.2f} KB per article it extracted (about {per_worker:.0f})")  # fmt: skip
    for address, top in sorted(traced.items()):
        print(f"\nworker {address.rsplit(':', 1)[-1]}: allocated since extraction started, still allocated at its end:")
        for mb, count, where in top:
            print(f"{1024 * mb:9.1f} KB in {count} blocks\n{where}")
    probe.close()
    cluster.close()


if __name__ == "__main__":
    main()
