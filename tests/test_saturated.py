"""The default run's saturating cases (``cases.draw_saturated_cases``): they reach the z where sigma written as
1/(1 + exp(-z)) overflows, in both dtypes, so published code with that form fails the default run, diagnosed."""

from __future__ import annotations

import numpy as np
import pytest

from compare import check_grad
from compare.oracle.cases.cases import draw_default, draw_saturated_cases, materialise
from compare.oracle.cases.limits import SATURATED_SHARE
from compare.oracle.sandbox.load import load_candidate

OVERFLOW = {"float32": -np.log(np.finfo(np.float32).max), "float64": -np.log(np.finfo(np.float64).max)}


def _reaches_overflow(case) -> bool:
    """Some z^l of the case, computed in float64, lies below -log(max) of its dtype."""
    params, x, _ = materialise(case)
    a = np.atleast_2d(x).astype(np.float64)
    for W, b in params:
        z = a @ W.astype(np.float64).T + b
        if (z < OVERFLOW[case.dtype]).any():
            return True
        a = 0.5 + 0.5 * np.tanh(0.5 * z)
    return False


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_default_share_of_saturating_cases_reaches_exp_overflow_in_each_dtype(dtype):
    """Of the default run's saturating cases (2000 / SATURATED_SHARE, seed 0), at least a third of each dtype's
    have a z beyond -log(max) (-88.7 in float32, -709.8 in float64); the ordinary draws have none."""
    saturated = [c for c in draw_saturated_cases(2000 // SATURATED_SHARE, 0) if c.dtype == dtype]
    assert sum(map(_reaches_overflow, saturated)) >= len(saturated) // 3
    ordinary = [c for c in draw_default(400, 0, (dtype,)) if c.scale <= 4.0]
    assert not any(map(_reaches_overflow, ordinary))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_naive_exp_sigma_fails_the_default_draws_and_is_named(dtype):
    """compare/controls/wrong_sigma_exp_overflow.py (sigma' = exp(-z)/(1 + exp(-z))^2) fails the default draws in
    each dtype alone, and the diagnosis names exactly that mistake (recomputing with it reproduces the NaNs)."""
    grad, cost, _ = load_candidate("compare/controls/wrong_sigma_exp_overflow.py")
    report = check_grad(grad, draw_default(400, 0, (dtype,)), cost=cost, shrink_failure=False)
    assert report.failed > 0 and report.mistakes == ("sigma_exp_overflow",), report.diagnosis


def test_the_stable_form_passes_the_saturating_cases():
    """The two-branch exp form and the tanh form stay right where exp(-z) overflows."""
    cases = draw_saturated_cases(60, 1)
    for path in ("compare/controls/right_sigma_exp.py", "compare/controls/right_sigma_tanh.py"):
        grad, cost, _ = load_candidate(path)
        assert check_grad(grad, cases, cost=cost, shrink_failure=False).ok, path


@pytest.mark.parametrize("fixed", [{"depth": 2}, {"sizes": (3, 4, 2)}, {"batch": 5}])
def test_a_fixed_architecture_keeps_the_saturating_share_and_reaches_exp_overflow(fixed):
    """``--depth``, ``--sizes`` and ``--batch`` (``draw_sized_default``) keep the default run's last
    n // SATURATED_SHARE cases saturating, the fixed fields as asked: a fixed-depth published network with the
    naive exp form fails there as it fails the default run (it passed every case with --depth 2 before)."""
    from compare.oracle.cases.cases import draw_sized, draw_sized_default

    n = 200
    cases = draw_sized_default(n, 0, **fixed)
    plain = draw_sized(n, 0, **fixed)
    k = n // SATURATED_SHARE
    assert cases[:n - k] == plain[:n - k] and len(cases) == n
    assert all(c.sizes == s.sizes and c.batch == s.batch and c.scale != s.scale
               for c, s in zip(cases[n - k:], plain[n - k:]))
    assert any(_reaches_overflow(c) for c in cases[n - k:])
    grad, cost, _ = load_candidate("compare/controls/wrong_sigma_exp_overflow.py")
    assert not check_grad(grad, cases, cost=cost, shrink_failure=False).ok
