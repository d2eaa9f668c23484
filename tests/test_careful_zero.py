"""Issue 25: ``careful._rows_scaled`` kept the small entries of a row only relative to the row's largest, so an
element whose sum met that largest entry with a zero weight (a sum of small entries only) lost them to underflow;
and the default run's extreme draws never reached that, nor three other regimes of the careful code. Here: every element
of the scaled product is within its own rounding error, (n + 4) u times its sum of |products|, of the exact value
(rational arithmetic), the issue's 1-2-2-2 net is within its tolerance, each regime is reached by the default run's
extreme draws, and the default checks fail the careful code (or a candidate) broken in that regime's way."""

from __future__ import annotations

import dataclasses
import functools
import importlib
from fractions import Fraction

import numpy as np
import pytest
from careful_mutants import careful_mutant
from hypothesis import example, given
from hypothesis import strategies as st

import manual
from compare.cli.options import EXTREME_SHARE, PROFILES
from compare.oracle.cases.cases import Case, draw_extreme_cases, materialise
from compare.oracle.checks.check import check_grad
from compare.oracle.reference import longdouble
from manual import careful

network = importlib.import_module("manual.network")      # the modules (manual.backprop is also the function)
backprop_module = importlib.import_module("manual.backprop")

pytestmark = pytest.mark.skipif(not longdouble.available(), reason="long double is no wider than float64 here")


def _rows_scaled_before_issue_25(A, W, factor=None):
    """``careful._rows_scaled`` as it was before issue 25: one scale per row, no element recomputed."""
    t = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2
    e, f = careful._exponent(A, axis=1), careful._exponent(W, axis=1)
    Zs = np.ldexp(A, (t - e)[:, None]) @ np.ldexp(W, (t - f)[:, None]).T
    if factor is not None:
        Zs *= factor
    return np.ldexp(Zs, e[:, None] + f[None, :] - 2 * t)


@functools.cache
def _default_extreme_cases() -> tuple[Case, ...]:
    """The extreme cases of ``python -m compare`` (its fast profile: one case in EXTREME_SHARE, seed 0, both
    dtypes); ``manual.backprop`` gets the same cases with one example each."""
    return tuple(draw_extreme_cases(PROFILES["fast"] // EXTREME_SHARE, 0, ("float64", "float32")))


def _run_default(spied_module, name: str, spy) -> list[tuple[str, Case, list]]:
    """Run ``manual.grad`` and ``manual.cost`` on every default extreme case, and ``manual.backprop`` on its
    one-example form, with ``spied_module.name`` (and the name where ``network`` and ``backprop`` import it)
    replaced by ``spy(record, original, ...)``: per function and case as run, what the spy recorded."""
    original = getattr(spied_module, name)
    out = []
    for case in _default_extreme_cases():
        single = dataclasses.replace(case, batch=0)
        for fn_name, fn, c in (("grad", manual.grad, case), ("cost", manual.cost, case),
                               ("backprop", manual.backprop, single)):
            record: list = []
            wrapped = functools.partial(spy, record, original)
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(spied_module, name, wrapped)
                for module in (network, backprop_module):
                    if spied_module is careful and hasattr(module, name):
                        mp.setattr(module, name, wrapped)
                try:
                    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                        fn(*materialise(c))
                except ValueError:                          # beyond range: refused
                    pass
            out.append((fn_name, c, record))
    return out


def _in_range(case: Case) -> bool:
    """Whether every element of the case's exact gradient is surely in range (the long double reference)."""
    return not longdouble.reference([materialise(case)], case.dtype)[1].grad_maybe[0]


# ---- the scaled product, element by element, against exact arithmetic -------------------------------------------

def _allowance_excess(rows_scaled, A, W, factor=None) -> float:
    """The largest |computed - exact| / ((n + 4) u S + eta) over the elements of ``rows_scaled(A, W, factor)``
    whose sum of |products| S (times |factor|) is below a quarter of the largest value (the others may be beyond
    range): above 1 where an element lost more than its own rounding error allows. Exact in Fraction."""
    fi = np.finfo(A.dtype)
    u, eta, n = float(fi.eps) / 2, Fraction(float(fi.smallest_subnormal)), A.shape[1]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        Z = rows_scaled(A, W, factor)
    worst = 0.0
    for i in range(A.shape[0]):
        for j in range(W.shape[0]):
            terms = [Fraction(float(a)) * Fraction(float(w)) for a, w in zip(A[i], W[j])]
            f = Fraction(1) if factor is None else Fraction(float(factor[i, j]))
            exact, S = f * sum(terms), abs(f) * sum(abs(p) for p in terms)
            if S > Fraction(float(fi.max)) / 4:
                continue
            assert np.isfinite(Z[i, j]), (i, j)
            err = abs(Fraction(float(Z[i, j])) - exact)
            worst = max(worst, float(err / ((n + 4) * Fraction(u) * S + eta)))
    return worst


def _entries(dtype):
    """An entry anywhere in ``dtype``'s range (subnormals included), or an exact zero."""
    fi = np.finfo(dtype)
    return st.one_of(st.just(0.0), st.builds(lambda s, f, e: s * float(np.ldexp(f, e)), st.sampled_from([-1.0, 1.0]),
                                             st.floats(1.0, 2.0, exclude_max=True, width=fi.bits),
                                             st.integers(fi.minexp - fi.nmant, fi.maxexp - 1)))


@st.composite
def _products(draw):
    """(A, W, factor or None) of one dtype: A (r, n), W (s, n) with entries over the whole range and zeros,
    factor (r, s) like a sigma' (0 to 1/4, down into the subnormals) or None."""
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    r, s, n = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 5))
    A = np.array(draw(st.lists(_entries(dtype), min_size=r * n, max_size=r * n)), dtype).reshape(r, n)
    W = np.array(draw(st.lists(_entries(dtype), min_size=s * n, max_size=s * n)), dtype).reshape(s, n)
    if draw(st.booleans()):
        return A, W, None
    fi = np.finfo(dtype)
    sp = st.one_of(st.just(0.0), st.builds(lambda f, e: float(np.ldexp(f, e)),
                                           st.floats(0.5, 1.0, exclude_max=True, width=fi.bits),
                                           st.integers(fi.minexp - fi.nmant + 1, -2)))
    return A, W, np.array(draw(st.lists(sp, min_size=r * s, max_size=r * s)), dtype).reshape(r, s)


_ISSUE_A = np.array([[1.3 * 2.0**1020, 1.7 * 2.0**-526]])     # a delta row: its largest meets the zero weights below
_ISSUE_W = np.array([[0.0, 1.1], [0.0, -0.7]])
_ISSUE_F = np.array([[0.2, 0.25]])


@given(_products())
@example((_ISSUE_A, _ISSUE_W, _ISSUE_F))
@example((_ISSUE_A, _ISSUE_W, None))
def test_rows_scaled_loses_no_more_than_u_times_each_elements_own_sum_of_products(product):
    """Property: every element of ``_rows_scaled(A, W, factor)`` whose sum of |products| S is in range is within
    (n + 4) u S + eta of the exact value, whatever the entries' sizes and zeros: what is lost to underflow is
    far under the element's own rounding error, not only under its rows' largest products."""
    A, W, factor = product
    assert _allowance_excess(careful._rows_scaled, A, W, factor) <= 1


def test_rows_scaled_before_the_fix_loses_an_element_whose_rows_largest_entries_meet_zero_weights():
    """The property above fails for the code before issue 25 on a delta row spanning 2^1546 whose largest entry
    meets zero weights (its elements are sums of the small entry only), and holds for the fixed code."""
    for factor in (_ISSUE_F, None):
        assert _allowance_excess(_rows_scaled_before_issue_25, _ISSUE_A, _ISSUE_W, factor) > 1e3
        assert _allowance_excess(careful._rows_scaled, _ISSUE_A, _ISSUE_W, factor) <= 1


# ---- the issue's net -------------------------------------------------------------------------------------------

def _issue_net(q: int):
    """The 1-2-2-2 float64 net of issue 25 with W^3[1,1] = 2^-q: y_0 = -1e308 and W^3[0,0] = 2^30 overflow the plain
    (W^3)^T delta^3 (so grad takes the careful path), delta^2 = (~1e307, ~2^-(q + 7)) spans more than 2^1530, and
    row 0 of W^2 (the weights its largest entry meets) is zero, so delta^1 is made of delta^2's small entry alone."""
    B = 2.0**30
    params = [(np.array([[1.0], [1.0]]), np.array([-1.0, -1.0])),
              (np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([20.0, 0.0])),
              (np.array([[B, 0.0], [0.0, 2.0**-q]]), np.array([-B, 0.0]))]
    return params, np.array([1.0]), np.array([-1.0e308, 0.25])


def _worst_ratio(grad, params, x, y) -> float:
    """The largest |grad - reference| / tolerance over every element (the long double reference of extreme cases)."""
    ref, info = longdouble.reference([(params, x, y)], "float64")
    assert not info.grad_maybe[0]
    with np.errstate(over="ignore", invalid="ignore"):
        got = grad(params, x, y)
    worst = 0.0
    for l, (gW, gb) in enumerate(got):
        r = ref.layer(0, l)
        worst = max(worst, float(np.max(np.abs(gW - r.W) / r.tol_W)), float(np.max(np.abs(gb - r.b) / r.tol_b)))
    return worst


@pytest.mark.parametrize("q", [515, 519, 520, 530])
def test_manual_grad_agrees_on_the_issue_25_net_where_the_old_scaled_product_did_not(q, monkeypatch):
    """manual.grad on the issue's net is within its tolerance of the reference on every element; with the scaled
    product as it was, grad W^1 is not (2x to 10^4 x its tolerance), so the net does test the fix."""
    params, x, y = _issue_net(q)
    assert _worst_ratio(manual.grad, params, x, y) <= 1
    assert _worst_ratio(manual.backprop, params, x, y) <= 1
    monkeypatch.setattr(careful, "_rows_scaled", _rows_scaled_before_issue_25)
    assert _worst_ratio(manual.grad, params, x, y) > 1


# ---- the regimes the default extreme draws reach ---------------------------------------------------------------

def test_default_draws_reach_deltas_whose_largest_entry_meets_zero_weights():
    """(c) In float64 default cases the careful backward pass recomputes elements one by one (``_elements_scaled``)
    and they are not 0: sums of a delta row's small entries only, its largest entry (2^1532 or more above them)
    meeting zero weights."""
    def spy(record, original, A, W, F, I, J, *args, **kwargs):
        out = original(A, W, F, I, J, *args, **kwargs)
        record.append(int(np.count_nonzero(out)))
        return out

    runs = _run_default(careful, "_elements_scaled", spy)
    for fn in ("grad", "backprop"):
        reached = [c for f, c, record in runs if f == fn and sum(record)]
        assert len(reached) >= 3 and {c.dtype for c in reached} == {"float64"}, (fn, [c.spec() for c in reached])


def test_default_checks_fail_the_scaled_product_without_its_per_element_recomputation(monkeypatch):
    """With ``_rows_scaled`` as it was before issue 25, the default extreme cases fail manual.grad and
    manual.backprop."""
    cases = list(_default_extreme_cases())
    monkeypatch.setattr(careful, "_rows_scaled", _rows_scaled_before_issue_25)
    report = check_grad(manual.grad, cases, cost=manual.cost, name="manual.grad", shrink_failure=False)
    assert not report.ok and report.first.case.extreme and report.first.case.dtype == "float64"
    single = [dataclasses.replace(c, batch=0) for c in cases]
    assert not check_grad(manual.backprop, single, name="manual.backprop", shrink_failure=False).ok


def _wrong_z(A, W, b):
    """(elements of the plain A W^T + b that are +-inf with the sign opposite to the true z's, that are NaN)."""
    with np.errstate(over="ignore", invalid="ignore"):
        plain = A @ W.T + b
        true = A.astype(np.longdouble) @ W.T.astype(np.longdouble) + b.astype(np.longdouble)
    wrong_sign = np.isinf(plain) & (np.sign(plain) == -np.sign(true))
    return int(wrong_sign.sum()), int(np.isnan(plain).sum())


def test_default_draws_reach_plain_z_that_overflows_to_the_wrong_sign_or_to_nan():
    """(d) In default cases of both dtypes whose gradient is in range, for grad (a batch) and backprop (one example)
    alike, the plain z = A W^T + b that sends the forward pass to ``_z_scaled`` has elements that are +-inf with
    the sign opposite to the true z's (an overflowing term against a larger sum of the other sign), so that only a
    recomputed z gives the right answer; and some are NaN (inf - inf)."""
    def spy(record, original, A, W, b):
        record.append(_wrong_z(A, W, b))
        return original(A, W, b)

    runs = _run_default(careful, "_z_scaled", spy)
    for dtype in ("float64", "float32"):
        for fn in ("grad", "backprop"):
            sign = [c for f, c, rec in runs if f == fn and c.dtype == dtype and any(w for w, _ in rec)]
            assert sum(map(_in_range, sign)) >= 2, (dtype, fn)
        nan = [c for _, c, rec in runs if c.dtype == dtype and any(n for _, n in rec)]
        assert len(set(nan)) >= 2, dtype


@pytest.mark.parametrize("keep", ["inf", "nan"])
def test_default_checks_fail_a_z_fallback_that_recomputes_only_nan_or_only_inf(keep, monkeypatch):
    """A ``_z_scaled`` that recomputes only the NaN elements (keeping a wrong-signed inf) or only the infinite ones
    fails the default extreme cases, for grad and for backprop."""
    def partial(A, W, b):
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            Z = A @ W.T + b
            bad = np.isnan(Z) if keep == "inf" else np.isinf(Z)
            Z[bad] = (careful._rows_scaled(A, W) + b)[bad]
        return Z

    for module in (careful, network, backprop_module):
        monkeypatch.setattr(module, "_z_scaled", partial)
    cases = list(_default_extreme_cases())
    assert not check_grad(manual.grad, cases, cost=manual.cost, name="manual.grad", shrink_failure=False).ok
    single = [dataclasses.replace(c, batch=0) for c in cases]
    assert not check_grad(manual.backprop, single, name="manual.backprop", shrink_failure=False).ok


def _edge_rows(Y: np.ndarray) -> str | None:
    """"+" or "-" when every entry of Y above sqrt(max)/2 in size has that sign and some row has three or more of
    them beside an entry below 1; else None."""
    big = np.abs(Y) > np.sqrt(np.finfo(Y.dtype).max) / 2
    signs = set(np.sign(Y[big]).tolist())
    if len(signs) != 1 or not ((big.sum(axis=1) >= 3) & (np.abs(Y) < 1).any(axis=1)).any():
        return None
    return "+" if signs == {1.0} else "-"


def test_default_draws_reach_costs_of_three_same_sign_targets_near_sqrt_max_beside_a_unit_one():
    """(a) ``_cost_scaled`` (the plain cost overflowed) is called in default cases of both dtypes on targets whose
    rows have three or more entries near sqrt(max), all of one sign, beside a unit one, and returns a cost in
    range; for each sign. With y > 0 the largest a - y is a unit entry's, so only max |a - y| scales right."""
    def spy(record, original, a_L, Y):
        C = original(a_L, Y)
        record.append((_edge_rows(Y), bool(np.isfinite(C))))
        return C

    runs = _run_default(careful, "_cost_scaled", spy)
    for dtype in ("float64", "float32"):
        for sign in "+-":
            reached = {c for _, c, rec in runs if c.dtype == dtype and (sign, True) in rec}
            assert len(reached) >= 2, (dtype, sign)


def test_default_checks_fail_a_cost_scaled_by_its_signed_largest_entry(monkeypatch):
    """With the cost's scale exponent taken from max(a - y) instead of max |a - y|, the default extreme cases
    fail manual.cost (it refuses a cost in range)."""
    original = careful._exponent

    def signed(arr, axis=None):
        return int(np.frexp(np.max(arr))[1]) if axis is None else original(arr, axis)

    monkeypatch.setattr(careful, "_exponent", signed)
    report = check_grad(manual.grad, list(_default_extreme_cases()), cost=manual.cost, name="manual.grad",
                        shrink_failure=False)
    assert not report.ok and report.first.case.extreme


def test_default_draws_reach_coherent_batches_over_8_whose_summed_example_gradients_overflow():
    """(b) Default cases of both dtypes with a batch of m > 8 have a gradient element in range (by the long double
    reference, with its tolerance) whose m examples' own gradients (the reference on each example alone) all have
    one sign and sum to beyond the largest value, though their mean is the gradient."""
    reached = set()
    for case in _default_extreme_cases():
        if case.batch <= 8:
            continue
        params, x, y = materialise(case)
        ref, info = longdouble.reference([(params, x, y)], case.dtype)
        if info.grad_maybe[0]:
            continue
        own = longdouble.reference([(params, xi, yi) for xi, yi in zip(x, y)], case.dtype)[0]   # per example
        top = float(np.finfo(case.dtype).max)
        for l in range(len(params)):
            r = ref.layer(0, l)
            for k, (g, tol) in enumerate(((r.W, r.tol_W), (r.b, r.tol_b))):
                each = np.array([own.layer(i, l)[k] for i in range(case.batch)], np.longdouble)
                one_sign = (np.sign(each) == np.sign(each[0])).all(axis=0)
                summed = np.abs(each.sum(axis=0))
                with np.errstate(over="ignore"):
                    in_range = np.abs(g) + tol < top
                if (one_sign & in_range & (summed > top)).any():
                    reached.add(case)
    assert {c.dtype for c in reached} == {"float64", "float32"} and len(reached) >= 4, [c.spec() for c in reached]


def _summed(params, x, y):
    """A candidate that sums the examples' own gradients (``manual.backprop`` each) and divides by m after."""
    total = None
    with np.errstate(over="ignore", invalid="ignore"):
        for xi, yi in zip(np.atleast_2d(x), np.atleast_2d(y)):
            g = manual.backprop(params, xi, yi)
            total = g if total is None else [(tW + gW, tb + gb) for (tW, tb), (gW, gb) in zip(total, g)]
        m = np.atleast_2d(x).shape[0]
        return [(gW / m, gb / m) for gW, gb in total]


def test_default_checks_fail_a_gradient_summed_over_the_batch_before_its_mean():
    """The default extreme cases with a batch of more than 8 fail a candidate that sums the examples' gradients
    before dividing by m (the sum overflows, or an example's own gradient is beyond range, though the mean is in
    range)."""
    over_8 = [c for c in _default_extreme_cases() if c.batch > 8]
    assert check_grad(_summed, over_8, name="summed", shrink_failure=False).failed >= 3


# ---- the draws that reach what the mutation benchmark found unguarded in the recomputation -------------------------

def _spanning(case: Case) -> bool:
    """Whether the case was drawn by ``extremes._spanning_batch`` (its signature: x_0 = 0 in example 0 only, W^2_00 =
    2^20)."""
    params, x, _ = materialise(case)
    return (len(params) == 2 and case.batch >= 2 and x[0, 0] == 0 and bool((x[1:, 0] == 1).all())
            and params[1][0][0, 0] == 2.0**20)


def test_spanning_batch_cases_are_in_range_and_overflow_the_plain_backward_product():
    """``extremes._spanning_batch``'s default cases (several per dtype): every gradient is in range by the long double
    reference, the plain (W^2)^T delta^2 overflows (so grad takes the careful path), output 0 is saturated
    (sigma' = 0 exactly) in every example but the first, and manual.grad agrees with the reference."""
    spanning = [c for c in _default_extreme_cases() if _spanning(c)]
    assert {c.dtype for c in spanning} == {"float64", "float32"} and len(spanning) >= 8, [c.spec() for c in spanning]
    for case in spanning:
        params, x, y = materialise(case)
        assert _in_range(case), case.spec()
        activations = network._forward_all(params, x)
        delta = (activations[-1] - y) * network._sigma_prime(activations[-1])
        with np.errstate(over="ignore"):
            assert not np.isfinite(delta @ params[1][0]).all(), case.spec()
        assert (network._sigma_prime(activations[-1])[1:, 0] == 0).all(), case.spec()
    assert check_grad(manual.grad, spanning, cost=manual.cost, name="manual.grad", shrink_failure=False).ok


def test_default_draws_reach_the_per_element_recomputation_without_a_factor():
    """(e) In float64 default cases manual.grad recomputes elements of a product without a factor one by one
    (grad W^1 = (delta^1)^T x of ``extremes._spanning_batch``), and they are not 0: rows of delta^1 spanning more
    than 2^1532 over the batch, their largest entry meeting x = 0. Before that template no default case took that
    path, so a crash there (``if factor is not None`` made true: factor[i, j] of None) went unseen. Since then
    ``extremes._exponent_pairs`` reaches it too."""
    def spy(record, original, A, W, F, I, J, *args, **kwargs):
        out = original(A, W, F, I, J, *args, **kwargs)
        record.append((F is None, int(np.count_nonzero(out))))
        return out

    runs = _run_default(careful, "_elements_scaled", spy)
    reached = [c for f, c, record in runs if f == "grad" and any(none and nonzero for none, nonzero in record)]
    assert len(reached) >= 3 and {c.dtype for c in reached} == {"float64"}, [c.spec() for c in reached]
    assert any(map(_spanning, reached)) and all(_spanning(c) or _exponent_pairs(c) for c in reached)


def _exponent_pairs(case: Case) -> bool:
    """Whether the case was drawn by ``extremes._exponent_pairs`` (its signature: y = 1/2 and 1/8 for outputs 0
    and 1 from example 2 on, y_0 = -y_1 huge in examples 0 and 1)."""
    _, _, y = materialise(case)
    return (case.batch >= 3 and y.shape[1] >= 2 and bool((y[2:, 0] == 0.5).all() and (y[2:, 1] == 0.125).all())
            and y[0, 0] == -y[1, 0] != 0)


def test_default_draws_reach_recomputed_elements_of_delta_rows_that_hold_an_exact_zero():
    """(f) ``extremes._zero_weight`` with a zeroed column of W^L: in float64 default cases, for grad and for backprop,
    the careful backward pass recomputes nonzero elements whose row of delta^(L-1) holds an exact zero beside its
    huge largest entry and its small ones (delta^(L-1)_j = 0: nothing reaches unit j)."""
    def spy(record, original, A, W, F, I, J, *args, **kwargs):
        out = original(A, W, F, I, J, *args, **kwargs)
        rows = np.unique(I[out != 0])
        record.append(bool((A[rows] == 0).any(axis=1).any()) and F is not None)
        return out

    runs = _run_default(careful, "_elements_scaled", spy)
    for fn in ("grad", "backprop"):
        reached = [c for f, c, record in runs if f == fn and any(record)]
        assert len(reached) >= 2 and {c.dtype for c in reached} == {"float64"}, (fn, [c.spec() for c in reached])


@pytest.mark.parametrize("function, after", [
    ("_rows_scaled", "I, J = np.nonzero(_lossy(As, Ws, F, t) & A.all(axis=1)[:, None] & W.any(axis=1)[None, :])"),
    ("_elements_scaled", "if True:"),
    ("_elements_scaled", "E = np.where(p, (ma != 0) & (mw != 0), lowest).max(axis=1, initial=lowest)"),
])
def test_default_checks_fail_the_recomputation_mutants_the_new_draws_reach(function, after, monkeypatch):
    """The default extreme cases fail manual.grad with the two mutants of careful.py that these draws were added for:
    a recomputation that passes over rows holding a zero (caught through ``_zero_weight``'s zeroed column) and one
    that reads a factor where there is none (a TypeError, caught through ``_spanning_batch``), and one that takes
    its scale from where the exponents are nonzero rather than where both mantissas are (inf for a recomputed
    element whose products all have exponents that cancel: ``_exponent_pairs``)."""
    monkeypatch.setattr(careful, function, careful_mutant(function, after))
    report = check_grad(manual.grad, list(_default_extreme_cases()), cost=manual.cost, name="manual.grad",
                        shrink_failure=False)
    assert not report.ok and report.first.case.extreme and report.first.case.dtype == "float64"
