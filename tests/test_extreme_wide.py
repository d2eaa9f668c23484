"""Issue 25's last width gaps: ``careful._rows_scaled`` leaves headroom for n terms with t from ceil(log2 n), and
``careful._elements_scaled`` recomputes 2^16 // n elements a step, where n is A.shape[-1], the width summed, which
for grad W and grad b is the batch m. Every other extreme case has m <= 16 (``extremes.MAX_BATCH``), so a t from
ceil(log10 m) (wrong from m = 17 on), from ceil(ln m) (m > e^7) or a step of max(0, ...) (m > 2^16) went unseen.
``extremes._wide_batch`` draws depth-1 batches of m > 2^16 (``extremes.WIDE_BATCH``); here: those cases reach the
regime (the careful path, a row pair of m equal entries, an element recomputed with m products), are in range and
pass, and the default checks fail the three mutants of the mutation benchmark on them. The default run draws them
once ``cases.draw_extreme_cases`` adds them (the last test)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from careful_mutants import careful_mutant

import manual
from compare.cli.options import EXTREME_SHARE, PROFILES
from compare.oracle.cases import extremes
from compare.oracle.cases.cases import Case, draw_extreme_cases, materialise
from compare.oracle.checks.check import check_grad
from compare.oracle.reference import longdouble
from manual import careful

network = importlib.import_module("manual.network")

pytestmark = pytest.mark.skipif(not longdouble.available(), reason="long double is no wider than float64 here")

_T = "t = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2"
WIDE_MUTANTS = [
    ("_rows_scaled", _T.replace("np.log2", "np.log10")),       # inf from m = 17 on
    ("_rows_scaled", _T.replace("np.log2", "np.log")),         # inf for m > e^7 or so
    ("_elements_scaled", "step = max(0, block // max(n, 1))"),  # range() step 0 for m > 2^16
]


def _wide_cases() -> list[Case]:
    """Wide extreme cases as ``cases.draw_extreme_cases`` draws them: both dtypes, batches just past 2^16."""
    return [Case(extremes.WIDE_SIZES, extremes.WIDE_BATCH + k, 1.0, dtype, 7919 * k + 11, True)
            for k, dtype in enumerate(("float64", "float32", "float64", "float32"))]


def _scaled_sum(A: np.ndarray, W: np.ndarray, t: int) -> np.ndarray:
    """``careful._rows_scaled``'s As @ Ws.T for a given t."""
    e, f = careful._exponent(A, axis=1), careful._exponent(W, axis=1)
    with np.errstate(over="ignore", under="ignore"):
        return np.ldexp(A, (t - e)[:, None]) @ np.ldexp(W, (t - f)[:, None]).T


def test_wide_cases_reach_the_careful_path_with_a_coherent_row_pair_and_an_element_recomputed_over_m():
    """Each wide case: m > 2^16, the plain gradient is not finite (grad takes the careful path), every gradient is
    surely in range (the long double reference), grad W^1 = (delta^1)^T x sums m products whose scaled sum stays
    finite with t from ceil(log2 m) and overflows with t from ceil(log10 m) or ceil(ln m), and ``_elements_scaled``
    recomputes an element of a product of width m; manual.grad agrees with the reference."""
    cases = _wide_cases()
    for case in cases:
        params, x, y = materialise(case)
        m = x.shape[0]
        assert m == case.batch > 1 << 16 and len(params) == 1, case.spec()
        assert not longdouble.reference([(params, x, y)], case.dtype)[1].grad_maybe[0], case.spec()
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            assert not careful._finite(network._grad(params, x, y)), case.spec()
            wide = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
            a = network._forward_all(wide, x.astype(np.float64))[-1]
            delta = (a - y.astype(np.float64)) / (y.shape[1] * m) * network._sigma_prime(a)
            A, W = delta.T, x.astype(np.float64).T
            for log, finite in ((np.log2, True), (np.log10, False), (np.log, False)):
                t = (np.finfo(np.float64).maxexp - 2 - int(np.ceil(log(m)))) // 2
                assert np.isfinite(_scaled_sum(A, W, t)).all() == finite, (case.spec(), log.__name__)
        widths: list = []

        def spy(A, W, factor, I, J, *args, original=careful._elements_scaled, record=widths, **kwargs):
            record.append((A.shape[-1], I.size))
            return original(A, W, factor, I, J, *args, **kwargs)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(careful, "_elements_scaled", spy)
            manual.grad(params, x, y)
        assert any(n == m and k > 0 for n, k in widths), (case.spec(), widths)
    assert check_grad(manual.grad, cases, cost=manual.cost, name="manual.grad", shrink_failure=False).ok


def _fails(case: Case) -> bool:
    """Whether manual.grad fails ``case`` as the default checks judge it: a refusal (ValueError) where every element
    of the long double reference is surely in range, or an element beyond its tolerance (``check_grad`` says the
    same, but on a failure it also probes other layouts, rerunning the long double reference of m > 2^16 examples
    for each: seconds, not milliseconds)."""
    params, x, y = materialise(case)
    ref, info = longdouble.reference([(params, x, y)], case.dtype)
    try:
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            grads = manual.grad(params, x, y)
    except ValueError:
        return not info.grad_maybe[0]
    return any((np.abs(g.astype(np.float64) - r) > tol).any()
               for (gW, gb), layer in zip(grads, (ref.layer(0, l) for l in range(len(params))))
               for g, r, tol in ((gW, layer.W, layer.tol_W), (gb, layer.b, layer.tol_b)))


@pytest.mark.parametrize("function, after", WIDE_MUTANTS)
def test_wide_cases_fail_the_careful_mutants_that_assume_a_narrow_sum(function, after, monkeypatch):
    """manual.grad with a t that leaves headroom for fewer than m terms (a gradient in range comes out inf and is
    refused) or with a step of 0 elements for m > 2^16 (a ValueError from range()) fails every wide case, of either
    dtype (a float32 net's careful path runs in float64 copies), and passes them unmutated."""
    cases = _wide_cases()
    assert not any(map(_fails, cases))
    monkeypatch.setattr(careful, function, careful_mutant(function, after))
    assert all(map(_fails, cases))


def test_default_run_draws_wide_cases_of_both_dtypes():
    """The default run's extreme cases (seed 0) include a wide case of each dtype."""
    cases = draw_extreme_cases(PROFILES["fast"] // EXTREME_SHARE, 0, ("float64", "float32"))
    wide = [c for c in cases if c.batch > 1 << 16]
    assert {c.dtype for c in wide} == {"float64", "float32"}
    assert all(c.sizes == extremes.WIDE_SIZES for c in wide)
