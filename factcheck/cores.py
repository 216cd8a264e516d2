"""How many cores this process may use: the default of `--jobs`, read by the settings
(gate/config.py) and the engines alike, so it sits beneath both."""

from __future__ import annotations

import os


def usable_cores() -> int:
    # Affinity, not os.cpu_count(): a container or `taskset` may allow fewer cores.
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
