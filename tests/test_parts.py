"""The built-in suite's checks of the public ``forward`` and ``sigmoid`` (``compare.oracle.verdict.parts``), and its
strictness about warnings: each passes manual's own and fails a plausible slip in it."""

from __future__ import annotations

import numpy as np
import pytest

import manual
from compare import check_grad
from compare.oracle.cases.cases import draw_cases, draw_extreme_cases
from compare.oracle.sandbox.isolation import call_guarded, warnings_raised
from compare.oracle.verdict.results import FORWARD, RAISED, SIGMOID

CASES = draw_cases(200, 5) + draw_extreme_cases(40, 5)


def _kinds(report) -> set[str]:
    return set(report.failures_by_kind)


def test_manual_forward_and_sigmoid_pass_on_ordinary_and_extreme_cases():
    """manual.grad with its cost, forward and sigmoid, warnings raised: every case agrees."""
    report = check_grad(warnings_raised(manual.grad), CASES, cost=warnings_raised(manual.cost),
                        forward=warnings_raised(manual.forward), sigmoid=warnings_raised(manual.sigmoid))
    assert report.ok, report.first


@pytest.mark.parametrize("slip", ["a^(L-1)", "first row only", "float64 out", "plus 1e-6"])
def test_a_forward_slip_fails_as_forward(slip):
    """forward returning another layer's activation, one row of a batch, a wider dtype, or values off by 1e-6
    (with grad and cost right) fails with kind 'forward'."""
    def forward(params, x):
        if slip == "a^(L-1)":
            return manual.forward(params[:-1], x) if params[-1][0].shape[0] == params[-2][0].shape[0] \
                else manual.forward(params, x)[..., ::-1]
        a = manual.forward(params, x)
        if slip == "first row only":
            return a[0] if a.ndim == 2 else a
        if slip == "float64 out":
            return a.astype(np.float64)
        return a + np.asarray(1e-6, a.dtype)
    cases = [c for c in CASES if c.depth >= 2 and not c.extreme]
    report = check_grad(manual.grad, cases, cost=manual.cost, forward=forward, shrink_failure=False)
    assert _kinds(report) == {FORWARD} and report.failed > len(cases) // 3


def test_a_sigmoid_slip_fails_as_sigmoid():
    """sigmoid computed as 1/2 + tanh(z/2)/2.0001 fails with kind 'sigmoid'; in float64 a relative 1e-9 too."""
    def sigmoid(z):
        return (0.5 + np.tanh(z / 2) / 2.0001).astype(z.dtype)
    report = check_grad(manual.grad, CASES[:50], cost=manual.cost, sigmoid=sigmoid, shrink_failure=False)
    assert _kinds(report) == {SIGMOID} and report.failed == 50

    def close(z):
        s = manual.sigmoid(z)
        return s * (1 + 1e-9) if s.dtype == np.float64 else s
    report = check_grad(manual.grad, CASES[:50], cost=manual.cost, sigmoid=close, shrink_failure=False)
    assert report.failed == sum(c.dtype == "float64" for c in CASES[:50])


def test_a_warning_from_our_own_code_is_a_failure():
    """warnings_raised: an overflow warning becomes an exception the guard reports; without it only shown (pytest
    lists that one warning: the guard's own filter shows it whatever the test's filters say)."""
    def overflowing(z):
        return np.exp(np.asarray(z, np.float64))
    _, problem = call_guarded(warnings_raised(overflowing), (1e3,), time_limit=None)
    assert problem is not None and problem.cause == "raised" and "RuntimeWarning" in problem.message
    result, problem = call_guarded(overflowing, (1e3,), time_limit=None)      # a candidate's: shown, not raised
    assert problem is None and result == np.inf

    def noisy(params, x, y):
        np.exp(np.float64(1e3))
        return manual.grad(params, x, y)
    report = check_grad(warnings_raised(noisy), CASES[:20], shrink_failure=False)
    assert _kinds(report) == {RAISED} and report.failed == 20
