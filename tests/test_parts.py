"""The built-in suite's checks of the public ``forward``, ``sigmoid`` and ``accuracy``
(``compare.oracle.verdict.parts``), and its strictness about warnings: each passes manual's own and fails a
plausible slip in it."""

from __future__ import annotations

import numpy as np
import pytest

import manual
from compare import check_grad
from compare.oracle.cases.cases import draw_cases, draw_extreme_cases
from compare.oracle.sandbox.isolation import call_guarded, warnings_raised
from compare.oracle.verdict.parts import Pieces, accuracy_range
from compare.oracle.verdict.results import ACCURACY, FORWARD, RAISED, SIGMOID

CASES = draw_cases(200, 5) + draw_extreme_cases(40, 5)


def _kinds(report) -> set[str]:
    return set(report.failures_by_kind)


def test_manual_forward_sigmoid_and_accuracy_pass_on_ordinary_and_extreme_cases():
    """manual.grad with its cost, forward, sigmoid and accuracy, warnings raised: every case agrees."""
    pieces = Pieces(*(warnings_raised(f) for f in (manual.forward, manual.sigmoid, manual.accuracy)))
    report = check_grad(warnings_raised(manual.grad), CASES, cost=warnings_raised(manual.cost), pieces=pieces)
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
    report = check_grad(manual.grad, cases, cost=manual.cost, pieces=Pieces(forward=forward),
                        shrink_failure=False)
    assert _kinds(report) == {FORWARD} and report.failed > len(cases) // 3


def test_a_sigmoid_slip_fails_as_sigmoid():
    """sigmoid computed as 1/2 + tanh(z/2)/2.0001 fails with kind 'sigmoid'; in float64 a relative 1e-9 too."""
    def sigmoid(z):
        return (0.5 + np.tanh(z / 2) / 2.0001).astype(z.dtype)
    report = check_grad(manual.grad, CASES[:50], cost=manual.cost, pieces=Pieces(sigmoid=sigmoid),
                        shrink_failure=False)
    assert _kinds(report) == {SIGMOID} and report.failed == 50

    def close(z):
        s = manual.sigmoid(z)
        return s * (1 + 1e-9) if s.dtype == np.float64 else s
    report = check_grad(manual.grad, CASES[:50], cost=manual.cost, pieces=Pieces(sigmoid=close),
                        shrink_failure=False)
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


@pytest.mark.parametrize("slip", ["a^(L-1)", "!=", "argmin", "count"])
def test_an_accuracy_slip_fails_as_accuracy(slip):
    """accuracy scoring another layer's activations, counting the wrong examples, taking the smallest output, or
    returning a count instead of a fraction (with grad and cost right) fails with kind 'accuracy'."""
    def accuracy(params, X, labels):
        if slip == "a^(L-1)":
            a = manual.forward(params[:-1], X)
            return float(np.mean(np.argmax(a, axis=1) == labels))
        a = manual.forward(params, X)
        if slip == "!=":
            return float(np.mean(np.argmax(a, axis=1) != labels))
        if slip == "argmin":
            return float(np.mean(np.argmin(a, axis=1) == labels))
        return float(np.sum(np.argmax(a, axis=1) == labels))
    cases = [c for c in CASES if c.depth >= 2 and not c.extreme and c.batch >= 2 and c.sizes[-1] >= 2]
    report = check_grad(manual.grad, cases, cost=manual.cost, pieces=Pieces(accuracy=accuracy), shrink_failure=False)
    assert _kinds(report) == {ACCURACY} and report.failed > len(cases) // 4


def test_accuracy_range_counts_close_outputs_either_way():
    """accuracy_range: an example is surely right or wrong only when its outputs are further apart than their
    tolerances; outputs within them, an exact tie too, count either way."""
    a = np.array([[0.9, 0.1], [0.5, 0.5 + 1e-12], [0.2, 0.8], [0.5, 0.5]])
    tol = np.full(a.shape, 1e-9)
    assert accuracy_range(a, tol, np.array([0, 0, 0, 0])) == (1, 3)      # rows 1 and 3 either way; row 2 wrong
    assert accuracy_range(a, tol * 0, np.array([0, 1, 1, 0])) == (3, 4)  # exact: rows 0-2 right, row 3 a tie
