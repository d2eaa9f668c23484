"""A dependency-free progress bar on stderr, shown only when a run lasts longer than a couple of seconds."""

from __future__ import annotations

import sys
import time


class Progress:
    """``bar = Progress(total, label); bar.update(done, note=""); bar.close()``.

    Draws nothing for the first ``delay`` seconds (short runs stay quiet) and nothing at all when stderr is
    not a terminal unless ``force`` is set; redraws at most 10 times a second.
    """

    def __init__(self, total: int, label: str, *, delay: float = 2.0, force: bool = False, stream=None):
        self.total, self.label, self.delay = max(int(total), 1), label, delay
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or getattr(self.stream, "isatty", lambda: False)()
        self.start = self.last = time.perf_counter()
        self.drawn = False

    def update(self, done: int, note: str = "") -> None:
        now = time.perf_counter()
        if not self.enabled or now - self.start < self.delay or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        frac = min(done / self.total, 1.0)
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        rate = done / (now - self.start)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} {rate:,.0f}/s {note}"[:200] + "\033[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
