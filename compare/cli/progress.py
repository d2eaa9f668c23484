"""A dependency-free progress display on stderr, in one of three modes (``--progress``):

- ``auto`` (the default): a bar redrawn in place, on a terminal only, once a run lasts longer than a couple of
  seconds (short runs stay quiet, a log file gets no carriage returns);
- ``lines``: plain lines ``progress: LABEL DONE/TOTAL``, terminal or not: the first at the first update, then
  at most one per ``interval`` seconds, and the last count, so a script or a test can wait for "some cases
  checked" instead of guessing a time;
- ``off``: nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .args import shown

MODES = ("auto", "lines", "off")


class Progress:
    """``bar = Progress(total, label); bar.update(done, note=""); bar.close()``.

    ``label`` (often a file name) is printed through ``args.shown``, so its control characters are escaped. In mode
    ``auto`` nothing is drawn for the first ``delay`` seconds nor when the stream is not a terminal, unless
    ``force`` is set; the bar is redrawn at most 10 times a second. Mode ``lines`` and ``off``: module docstring.
    """

    def __init__(self, total: int, label: str, *, delay: float = 2.0, force: bool = False,
                 stream: TextIO | None = None, mode: str = "auto", interval: float = 1.0):
        if mode not in MODES:
            raise ValueError(f"progress mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.total, self.label, self.delay = max(int(total), 1), shown(label), delay
        self.mode, self.interval = mode, interval
        self.stream = stream if stream is not None else sys.stderr
        terminal = getattr(self.stream, "isatty", lambda: False)()
        self.enabled = mode == "lines" or mode == "auto" and (force or terminal)
        self.start = self.last = time.perf_counter()
        self.drawn = False
        self.printed_lines = 0

    def update(self, done: int, note: str = "") -> None:
        """Show that ``done`` of the total are done (``note`` after the count), when the mode says so."""
        if not self.enabled:
            return
        if self.mode == "lines":
            self._line(done, note)
        else:
            self._bar(done, note)

    def counted(self, done: int, total: int) -> None:
        """``update(done)``, for the oracle's ``progress(done, total)`` callbacks (the total is already known)."""
        self.update(done)

    def _line(self, done: int, note: str) -> None:
        """Mode ``lines``: the first count at once, then one line per ``interval`` seconds, and the last one."""
        now = time.perf_counter()
        if self.printed_lines and now - self.last < self.interval and done < self.total:
            return
        self.last = now
        self.stream.write(f"progress: {self.label} {done}/{self.total}" + (f" {note}" if note else "") + "\n")
        self.stream.flush()
        self.printed_lines += 1

    def _bar(self, done: int, note: str) -> None:
        """Mode ``auto``: the bar, redrawn in place after ``delay`` seconds, at most 10 times a second."""
        now = time.perf_counter()
        if now - self.start < self.delay or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        frac = min(done / self.total, 1.0)
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        rate = done / max(now - self.start, 1e-9)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} {rate:,.0f}/s {note}"[:200] + "\033[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line (mode ``auto``, if drawn); lines need no ending."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
