"""A progress bar on stderr for runs at a terminal, from the first second.

tqdm rather than rich: it writes to any stream and draws nothing when that stream is not
a terminal, and it is one small pure-Python package, where rich would add a rendering
stack the text report does not use. The "reading" bar is drawn as the run starts, before
the first article is parsed (loading the parser takes a second or two), and each stage
after it ("comparing") replaces it; bars are cleared when the run ends, so the report
starts on a clean line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from factcheck.pipeline import Progress

DELAY_S = 0.0  # seconds before a bar shows
STAGES = {"read": ("reading", "file"), "compare": ("comparing", "claim")}


@contextmanager
def progress_bar(stream: TextIO, *, enabled: bool = True, delay: float = DELAY_S) -> Iterator[Progress | None]:
    """A Progress callback drawing one bar per stage on `stream`; None where it would not show."""
    if not enabled or not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    from tqdm import tqdm  # loaded only where a bar may show: at a terminal

    bars: dict[str, tqdm] = {}

    def open_bar(stage: str, total: int | None) -> tqdm:
        for finished in bars.values():
            finished.close()
        label, unit = STAGES.get(stage, (stage, "item"))
        bar = bars[stage] = tqdm(total=total, desc=label, unit=unit, file=stream, delay=delay, leave=False)
        return bar

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = open_bar(stage, total)
        elif bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    open_bar("read", None)  # shown while the files are found and the parser loads
    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()
