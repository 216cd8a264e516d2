"""Engines run ingest, extraction and comparison over an archive; api.py picks one.

`local` streams an archive through a process pool on this machine (`--jobs N`); `dask`
runs the same stage functions on a Dask cluster (`--engine dask`). Both return the
pipeline's RunResult, so everything after comparison (filters, NLI, reports) is shared
and the reports are identical whichever engine ran.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    # Affinity, not os.cpu_count(): a container or `taskset` may allow fewer cores.
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_check(items, settings, rules, cache, progress, excluded):
    """Ingest, extraction and comparison of a `check` run on the engine settings name."""
    keep = True if settings.format == "html" else None
    if settings.engine == "dask":
        from factcheck.engines.dask import DaskRun, run

        return run(
            DaskRun(list(items), rules, settings.date, progress, excluded, settings.scheduler, settings.jobs, keep,
                    settings.max_file_bytes, settings.max_sentence_chars)
        )
    from factcheck.engines.local import LocalRun, run

    jobs = settings.jobs or usable_cores()
    return run(
        LocalRun(list(items), rules, settings.date, cache, progress, excluded, jobs, settings.jobs is None, keep,
                 settings.max_file_bytes, settings.max_sentence_chars)
    )
