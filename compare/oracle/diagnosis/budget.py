"""A search's time limit, counted in the oracle's own CPU time.

The searches for mistakes run NumPy in the oracle's process with one BLAS thread, so the CPU time that process has
used is the work the search has done, whatever else the machine runs: a loaded machine cannot cut a search short,
as a wall-clock limit did (a test run beside it left the oracle a fiftieth of a core, and a layered search that
takes 27 s ran out at 60 s). A wall-clock ceiling, ``WALL_FACTOR`` times the limit, still ends a search whose
process is starved of CPU altogether.
"""
from __future__ import annotations

import math
import time
from typing import NamedTuple

WALL_FACTOR = 10.0    # the wall-clock ceiling of a search, in multiples of its CPU-time limit


class Deadline(NamedTuple):
    """When a search stops: at ``cpu`` (``time.process_time``) or at ``wall`` (``time.monotonic``), the first."""

    cpu: float
    wall: float

    def passed(self) -> bool:
        """Whether the search's time is spent."""
        return time.process_time() >= self.cpu or time.monotonic() >= self.wall

    def left(self) -> float:
        """The CPU seconds left (fewer where the wall-clock ceiling is nearer); 0 once passed."""
        if self.passed():
            return 0.0
        return min(self.cpu - time.process_time(), (self.wall - time.monotonic()) / WALL_FACTOR)


NEVER = Deadline(math.inf, math.inf)


def deadline(seconds: float) -> Deadline:
    """The deadline ``seconds`` of this process's CPU time from now (``WALL_FACTOR`` times that of wall time)."""
    return Deadline(time.process_time() + seconds, time.monotonic() + WALL_FACTOR * seconds)
