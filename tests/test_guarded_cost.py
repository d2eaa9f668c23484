"""Every call into candidate code in this process goes through the one guard, the cost included."""

import sys

import numpy as np

from compare import check_grad
from compare.oracle.cases.cases import draw_cases, draw_extreme_cases
from manual import cost as manual_cost
from manual import grad as manual_grad


def _cases(extreme: bool):
    """Six ordinary cases, or six extreme ones (their cost goes through ``ranges.call_and_judge_cost``)."""
    return draw_extreme_cases(6, seed=3) if extreme else draw_cases(6, seed=3)


def test_a_cost_calling_sys_exit_fails_its_case_instead_of_ending_the_run(capsys):
    """check_grad(cost=fn) in this process: a cost that calls sys.exit(0) is a failure of the cost, the run goes on
    to its report, and the cost's prints never reach the terminal."""
    def exiting_cost(params, x, y):
        print("cost says hello")
        sys.exit(0)

    for extreme in (False, True):
        report = check_grad(manual_grad, _cases(extreme), cost=exiting_cost, shrink_failure=False)
        assert not report.ok and report.first is not None
        assert "called sys.exit(0)" in report.first.message
    assert "cost says hello" not in capsys.readouterr().out


def test_a_right_cost_in_this_process_still_agrees():
    """The guard changes nothing for a cost that returns its value: manual.cost agrees on ordinary and extreme
    cases (a refusal beyond range included)."""
    for extreme in (False, True):
        report = check_grad(manual_grad, _cases(extreme), cost=manual_cost)
        assert report.ok, report.first


def test_a_cost_returning_a_non_number_is_a_failure_in_its_own_words():
    """A cost whose result cannot be read as a float fails its case (the reading happens inside the guard)."""
    report = check_grad(manual_grad, _cases(False), cost=lambda p, x, y: np.ones(3), shrink_failure=False)
    assert not report.ok and "raised TypeError" in report.first.message
