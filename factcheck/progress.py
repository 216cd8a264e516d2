"""A progress bar on stderr for long runs at a terminal.

tqdm rather than rich: its `delay` shows a bar only once a stage has run for a while,
which is exactly "long runs only" without a timer of our own; it writes to any stream
and draws nothing when that stream is not a terminal; and it is one small pure-Python
package, where rich would add a rendering stack the text report does not use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from factcheck.pipeline import Progress

DELAY_S = 2.0  # a run shorter than this never shows a bar
STAGES = {"read": ("reading", "file"), "compare": ("comparing", "claim")}


@contextmanager
def progress_bar(stream: TextIO, *, enabled: bool = True, delay: float = DELAY_S) -> Iterator[Progress | None]:
    """A Progress callback drawing one bar per stage on `stream`; None where it would not show."""
    if not enabled or not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    from tqdm import tqdm  # loaded only where a bar may show: at a terminal

    bars: dict[str, tqdm] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            for finished in bars.values():
                finished.close()
            label, unit = STAGES.get(stage, (stage, "item"))
            bar = bars[stage] = tqdm(total=total, desc=label, unit=unit, file=stream, delay=delay, leave=False)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()
