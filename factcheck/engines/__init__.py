"""Engines run ingest, extraction and comparison over an archive; api.py picks one.

`local` streams an archive through a process pool on this machine (`--jobs N`); `dask`
runs the same stage functions on a Dask cluster (`--engine dask`). Both return the
pipeline's RunResult, so everything after comparison (filters, NLI, reports) is shared
and the reports are identical whichever engine ran.
"""

from __future__ import annotations

from factcheck.cores import usable_cores
from factcheck.engines import dask, local

__all__ = ["run_check", "usable_cores"]


def run_check(items, settings, rules, cache, progress, excluded):
    """Ingest, extraction and comparison of a `check` run on the engine settings name."""
    keep = True if settings.format == "html" else None
    # Never more workers than cores: more only cost memory and start-up, and a number from
    # anywhere (2147483648) must not reach the process pool.
    cap = usable_cores()
    if settings.engine == "dask":
        workers = min(settings.jobs, cap) if settings.jobs else None
        return dask.run(
            dask.DaskRun(list(items), rules, settings.date, progress, excluded, settings.scheduler, workers, keep,
                    settings.max_file_bytes, settings.max_sentence_chars)
        )
    jobs = min(settings.jobs or cap, cap)
    return local.run(
        local.LocalRun(list(items), rules, settings.date, cache, progress, excluded, jobs, settings.jobs is None, keep,
                 settings.max_file_bytes, settings.max_sentence_chars)
    )
