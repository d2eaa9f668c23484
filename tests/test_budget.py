"""``--budget``: a slow candidate's run is sized to its measured speed (an even sample of the draw after a pilot),
says so, and keeps its verdict; a wrong candidate still exits 1."""

from __future__ import annotations

import os
import subprocess
import types

import oracle_cli

from compare.cli.oracle import BUDGET_PILOT, _budgeted

HERE = os.path.dirname(__file__)


def _run(*argv: str) -> subprocess.CompletedProcess:
    return oracle_cli.run([*argv, "--progress", "off"])


def test_budget_checks_the_pilot_then_an_even_sample_that_fits():
    """With a pilot of 0.1 s a case and 10 s left, 100 cases fit: the pilot's 40 (checked in two halves, then
    again first) and 60 of the rest, spread evenly over the draw; with room for all, every drawn case, each once."""
    seen = []

    def check(cases):
        seen.append(list(cases))
        return types.SimpleNamespace(ok=True, seconds=0.1 * len(cases))

    import time

    chosen = _budgeted(check, list(range(2000)), 10.0, time.perf_counter())
    pilot = list(range(0, 2000, 50))[:BUDGET_PILOT]
    assert seen == [pilot[::2], pilot[1::2]]                     # in two halves, each spread over the draw
    assert chosen.cases[:BUDGET_PILOT] == pilot and chosen.drawn == 2000 and chosen.failed_pilot is None
    rest = chosen.cases[BUDGET_PILOT:]
    assert 55 <= len(rest) <= 60 and rest == sorted(rest) and not set(rest) & set(pilot)
    assert rest[0] < 100 and rest[-1] > 1900                    # spread over the draw, not its first cases
    every = _budgeted(check, list(range(100)), 1e6, time.perf_counter())
    assert sorted(every.cases) == list(range(100))


def test_a_failing_pilot_is_the_runs_report():
    """A pilot that disagrees ends the sizing: its cases and report are the run's."""
    failed = types.SimpleNamespace(ok=False, seconds=1.0)
    chosen = _budgeted(lambda cases: failed, list(range(500)), 60.0, 0.0)
    assert chosen.failed_pilot is failed and len(chosen.cases) == BUDGET_PILOT // 2


def test_a_slow_right_candidate_passes_on_fewer_cases_and_the_report_says_so():
    """20 ms a call, 2000 cases drawn, --budget 4: fewer than 2000 are checked, every one agrees (exit 0), and the
    report names the budget and the sample."""
    out = _run("--candidate", os.path.join(HERE, "candidates", "slow_right.py"), "--budget", "4s")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    line = next(x for x in out.stdout.splitlines() if "budget (--budget 4)" in x)
    checked = int(line.split(":")[1].split()[0])
    assert BUDGET_PILOT <= checked < 2000 and "an even sample of the draw" in line


def test_a_wrong_candidate_still_exits_1_under_a_budget_and_budget_needs_a_candidate():
    """The budget never turns a disagreement into agreement; without --candidate it is a usage error."""
    wrong = _run("--candidate", os.path.join(HERE, "..", "compare", "controls", "wrong_sign.py"), "--budget", "2")
    assert wrong.returncode == 1 and "budget (--budget 2)" in wrong.stdout
    usage = _run("--budget", "3")
    assert usage.returncode == 2 and len(usage.stderr.strip().splitlines()) == 1
