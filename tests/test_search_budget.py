"""The searches' time limits count the oracle's own CPU time, so that a loaded machine cannot cut a search short."""
import time

from compare.oracle.diagnosis import budget


def test_a_deadline_does_not_pass_while_the_process_waits():
    """Time the process spends off the CPU (sleeping here; waiting for a core on a loaded machine) is not counted,
    up to the wall-clock ceiling."""
    until = budget.deadline(0.05)
    time.sleep(0.2)                                 # 4 limits of wall time, well under the ceiling of 10
    assert not until.passed()
    assert 0.0 < until.left() <= 0.05


def test_a_deadline_passes_once_the_process_has_worked_its_cpu_time():
    """The limit is reached by the process's own work."""
    start = time.process_time()
    until = budget.deadline(0.05)
    while not until.passed():
        sum(range(1000))
    assert time.process_time() - start >= 0.05 or time.monotonic() >= until.wall
    assert until.left() == 0.0


def test_a_starved_search_still_stops_at_the_wall_clock_ceiling():
    """A process that gets no CPU at all stops at WALL_FACTOR times the limit."""
    until = budget.deadline(0.01)
    time.sleep(0.01 * budget.WALL_FACTOR + 0.05)
    assert until.passed()
