"""Values at the ends of the dtype's range: weights and inputs up to +-1e300 and the largest float64 (+-3e38 and
the largest float32), every unit saturated, values near the subnormal range (1e-308, 5e-324; float32 1e-38,
1e-45). forward, cost, grad and backprop in both backends must give a finite result in the network's dtype
with no warning, or our ValueError "... is beyond <dtype>'s range" exactly when the TRUE value is.

The truth comes from an independent computation in long double (``exact``: 64-bit mantissa and, on x86, a
range up to 1e4932, so nothing here overflows in it; sigma and sigma' computed from z, not from a):
- every SCENARIO states what the true values are (finite or beyond range), and ``test_scenario_truth`` checks
  that statement against ``exact`` before any backend is judged by it;
- a finite result must agree with ``compare.reference`` (jax.grad) within its per-element tolerance where the
  reference is finite, and otherwise with ``exact`` within the scenario's ``rtol`` (the sigmoid's absolute
  error ~u, relative to a tiny activation, is all that separates them);
- on random draws from an extreme palette: a "beyond range" refusal is only legitimate when the exact value
  is within a factor ``SLACK(L)`` of the limit or beyond it. The slack is the most a correct float
  computation can exceed the exact value by: each saturated sigma' = a(1 - a) (and a itself) is only known to
  ~u absolute, which near a ~ 1e-16 is a factor of up to ~3 per layer (``manual.sigmoid``'s docstring).
  Where a z is ill-conditioned (its rounding error n u |W| |a| exceeds 1, e.g. 1e19 + 3e38 - 3e38 in float32)
  no float computation can be held to the exact value, only to finiteness and our words.
Both backends are checked with JAX's x64 flag off and on (the result keeps the network's dtype, the caller's
flag is left alone). Skipped where long double is no wider than float64.
"""

from __future__ import annotations

import contextlib
import warnings

import jax
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autodiff
import compare
import manual

F64, F32 = np.dtype(np.float64), np.dtype(np.float32)
LD = np.longdouble
pytestmark = pytest.mark.skipif(np.finfo(LD).maxexp <= 1024, reason="long double is no wider than float64 here")

FUNCS = {
    "manual.forward": manual.forward, "manual.cost": manual.cost, "manual.grad": manual.grad,
    "manual.backprop": manual.backprop, "autodiff.forward": autodiff.forward, "autodiff.cost": autodiff.cost,
    "autodiff.grad": autodiff.grad,
}


def call(name, params, x, y):
    """(result, None) or (None, our ValueError); warnings are errors and anything else fails the test."""
    fn = FUNCS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return (fn(params, x) if name.endswith("forward") else fn(params, x, y)), None
        except ValueError as e:
            assert "is beyond" in str(e) and "'s range" in str(e), f"{name}: {e}"
            return None, e


# ---- the truth, in long double ------------------------------------------------------------------------------

def _sigma(z):
    with np.errstate(over="ignore", under="ignore"):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e)), e / (1 + e) ** 2   # sigma(z), sigma'(z), stably


def exact(params, x, y):
    """(forward, cost, grads) in long double, rows as examples, the seed's equations; y may be None."""
    X = np.atleast_2d(np.asarray(x, LD))
    acts, primes = [X], []
    for W, b in params:
        with np.errstate(over="ignore", under="ignore"):
            Z = acts[-1] @ np.asarray(W, LD).T + np.asarray(b, LD)
        a, s = _sigma(Z)
        acts.append(a)
        primes.append(s)
    out = acts[-1] if np.ndim(x) == 2 else acts[-1][0]
    if y is None:
        return out, None, None
    Y = np.atleast_2d(np.asarray(y, LD))
    m, n_L = Y.shape
    with np.errstate(over="ignore", under="ignore"):
        C = np.mean(0.5 * np.sum((acts[-1] - Y) ** 2, axis=1) / n_L)
        delta = (acts[-1] - Y) * primes[-1] / (n_L * m)
        grads = []
        for l in range(len(params), 0, -1):
            grads.append((delta.T @ acts[l - 1], delta.sum(axis=0)))
            if l > 1:
                delta = (delta @ np.asarray(params[l - 1][0], LD)) * primes[l - 2]
    return out, C, grads[::-1]


def ill_conditioned(params, x, dtype) -> bool:
    """Is some z^l known, after rounding, only to worse than +-1? Its rounding error can reach n u (|W| |a| +
    |b|) (1e19 + 3e38 - 3e38 in float32 is 0 or 1e31), so sigma(z) and sigma'(z) can be anything there and no
    float computation can be held to the exact value: only to finiteness and to refusing in our words."""
    u = LD(np.finfo(dtype).eps)
    A = np.atleast_2d(np.asarray(x, LD))
    for W, b in params:
        W, b = np.asarray(W, LD), np.asarray(b, LD)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            if np.any(W.shape[1] * u * (np.abs(A) @ np.abs(W).T + np.abs(b)) > 1):
                return True
            A = _sigma(A @ W.T + b)[0]
    return False


def beyond(value, dtype) -> bool:
    return bool(np.any(np.abs(np.asarray(value, LD)) > LD(np.finfo(dtype).max)))


def max_abs(grads):
    return max(float(np.max(np.abs(g))) if g.size else 0.0 for pair in grads for g in pair)


# ---- scenarios: (params, x, y), what is true, and how close a finite answer must be to the truth ------------

def _rng(seed=0):
    return np.random.default_rng(seed)


def _signs(shape, seed=0):
    """Random signs times random magnitudes in [1/2, 1]: continuous, so no sum cancels exactly. (An exact
    cancellation such as 1e300 * 1e300 - 1e300 * 1e300 leaves z at the mercy of rounding: the computed z is
    then anything within u |W| |a| ~ 1e584 of 0, and sigma(z) legitimately either 0 or 1.)"""
    r = _rng(seed)
    return np.where(r.random(shape) < 0.5, -1.0, 1.0) * r.uniform(0.5, 1.0, shape)


BIG = {F64: 1e300, F32: 3e38}
TOP = {F64: float(np.finfo(F64).max), F32: float(np.finfo(F32).max)}
SMALL = {F64: 1e-300, F32: 3e-38}       # the smallest normal numbers are 2.2e-308 and 1.2e-38
TINY = {F64: (1e-308, 5e-324), F32: (1e-38, 1e-45)}
ROOT_MAX = {F64: 1.34e154, F32: 1.84e19}       # about sqrt(max): (a - y)^2 overflows beyond it


def scenario(name, dtype):
    """``(params, x, y, truth, rtol)``; truth maps "cost"/"grad" to "finite" or "beyond" (forward is always
    finite); rtol is for comparing a finite answer with ``exact`` where compare.reference overflows."""
    d = dtype
    big, top, small = BIG[d], TOP[d], SMALL[d]
    r = _rng(1)
    if name == "saturated":               # |z| ~ 1e300: every unit at 0 or 1, every true sigma' ~ e^-1e300 ~ 0
        p = [(big * _signs((3, 2)), np.zeros(3)), (big * _signs((2, 3), 1), np.zeros(2))]
        return p, r.normal(size=(4, 2)), r.random((4, 2)), {"cost": "finite", "grad": "finite"}, 0
    if name == "saturated-huge-inputs":   # a W^T of 1e300 * 1e300: z beyond range, sigma(z) exactly 0 or 1
        p = [(big * _signs((3, 2)), big * _signs(3, 2)), (big * _signs((2, 3), 3), np.zeros(2))]
        return p, big * _signs((4, 2), 4), r.random((4, 2)), {"cost": "finite", "grad": "finite"}, 0
    if name == "largest-values":          # the largest finite value everywhere, both signs
        p = [(top * _signs((3, 2)), top * _signs(3, 2)), (top * _signs((2, 3), 3), top * _signs(2, 4))]
        return p, top * _signs((4, 2), 5), np.zeros((4, 2)), {"cost": "finite", "grad": "finite"}, 0
    if name == "huge-inputs-small-weights":   # z of order 1, so grad W = delta x ~ 1e299: large but in range
        p = [(small * _signs((3, 2), 7), np.zeros(3)), (r.normal(size=(2, 3)), np.zeros(2))]
        return p, big * r.uniform(-1, 1, (4, 2)), r.random((4, 2)), {"cost": "finite", "grad": "finite"}, 0
    if name == "gradient-beyond-range":   # delta^L ~ 1e299 (y = -1e300) times x = 1e300: grad W ~ 1e599
        p = [(small * _signs((3, 2), 7), np.zeros(3)), (r.normal(size=(2, 3)), np.zeros(2))]
        return p, big * r.uniform(0.5, 1, (4, 2)), -big * np.ones((4, 2)), {"cost": "beyond", "grad": "beyond"}, 0
    if name == "cost-just-in-range":      # C = 1/2 (1/2 - y)^2 ~ 0.6 max: (a - y)^2 alone would overflow
        y = 1.1 * ROOT_MAX[d]
        return [(np.zeros((1, 1)), np.zeros(1))], np.ones((2, 1)), np.full((2, 1), y), {"cost": "finite",
                                                                                          "grad": "finite"}, 0
    if name == "cost-just-beyond":        # C ~ 1.4 max
        y = 1.7 * ROOT_MAX[d]
        return [(np.zeros((1, 1)), np.zeros(1))], np.ones((2, 1)), np.full((2, 1), y), {"cost": "beyond",
                                                                                          "grad": "finite"}, 0
    if name == "intermediate-overflow":   # W^T delta overflows, but times sigma'(z^1) ~ e^z1 it is in range
        z1, n = (-30.0, 8) if d == F64 else (-10.0, 8)
        a1 = float(_sigma(LD(z1))[0])
        p = [(np.zeros((1, 1)), np.array([z1])), (np.full((n, 1), 1 / a1), np.zeros(n))]
        return p, np.ones((2, 1)), np.full((2, n), -big), {"cost": "beyond", "grad": "finite"}, 5e-3
    if name == "tiny":                    # the normal and subnormal ends: everything underflows quietly
        t1, t2 = TINY[d]
        p = [(t1 * _signs((3, 2)), t2 * _signs(3, 1)), (t2 * _signs((2, 3), 2), t1 * _signs(2, 3))]
        return p, t2 * _signs((4, 2), 5), t1 * np.ones((4, 2)), {"cost": "finite", "grad": "finite"}, 0
    if name == "tiny-times-huge":         # 1e-300 weights on 1e300 inputs, subnormal biases
        t1, t2 = TINY[d]
        p = [(small * _signs((3, 2)), t2 * np.ones(3)), (big * _signs((2, 3), 2), t1 * np.ones(2))]
        return p, big * _signs((4, 2), 5), np.full((4, 2), 0.5), {"cost": "finite", "grad": "finite"}, 0
    raise KeyError(name)


SCENARIOS = ["saturated", "saturated-huge-inputs", "largest-values", "huge-inputs-small-weights",
             "gradient-beyond-range", "cost-just-in-range", "cost-just-beyond", "intermediate-overflow", "tiny",
             "tiny-times-huge"]


def build(name, dtype):
    p, x, y, truth, rtol = scenario(name, dtype)
    p = [(np.asarray(W).astype(dtype), np.asarray(b).astype(dtype)) for W, b in p]
    with np.errstate(over="ignore"):
        x, y = np.asarray(x).astype(dtype), np.asarray(y).astype(dtype)
    assert all(np.isfinite(a).all() for pair in p for a in pair) and np.isfinite(x).all() and np.isfinite(y).all()
    return p, x, y, truth, rtol


def subnormal(*arrays) -> bool:
    """Does any array hold a nonzero subnormal number? (JAX on CPU reads those as 0: see
    test_jax_reads_subnormal_numbers_as_zero.)"""
    return any(bool(np.any((a != 0) & (np.abs(a) < np.finfo(a.dtype).tiny))) for a in arrays)


def flat(params, x, y):
    return [a for pair in params for a in pair] + [np.asarray(x), np.asarray(y)]


def reference_or_none(params, x, y):
    """compare.reference's (grads, tolerances) where they are finite, else None (jax.grad overflowed too)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            g, t = compare.reference(params, x, y)
        except ValueError:
            return None
    ok = all(np.isfinite(a).all() for pair in g + t for a in pair)
    return (g, t) if ok else None


def assert_grad_correct(got, params, x, y, rtol, dtype, what):
    """``got`` agrees with jax.grad within the reference's per-element tolerance, or (where jax.grad itself
    overflows, or would read subnormal inputs as 0) with the exact gradient to ``rtol`` (at least 1000 u) of
    the largest exact element of each array."""
    assert [(gW.shape, gb.shape) for gW, gb in got] == [(W.shape, b.shape) for W, b in params], what
    assert all(g.dtype == dtype and np.isfinite(g).all() for pair in got for g in pair), what
    rtol = max(rtol, 1000 * float(np.finfo(dtype).eps))
    ref = None if subnormal(*flat(params, x, y)) else reference_or_none(params, x, y)
    if ref is not None:
        for (gW, gb), (rW, rb), (tW, tb) in zip(got, *ref):
            assert np.all(np.abs(gW.astype(F64) - rW) <= tW), (what, gW, rW, tW)
            assert np.all(np.abs(gb.astype(F64) - rb) <= tb), (what, gb, rb, tb)
        return
    _, _, ex = exact(params, x, y)
    for pair, epair in zip(got, ex):
        for g, e in zip(pair, epair):
            scale = float(np.max(np.abs(e))) if e.size else 0.0
            err = np.abs(g.astype(LD) - e)
            assert np.all(err <= rtol * scale + 4 * float(np.finfo(dtype).tiny)), (what, g, e)


# ---- the tests ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_truth(name, dtype):
    """What each scenario claims (cost/gradient finite or beyond range) is what the exact computation says."""
    p, x, y, truth, _ = build(name, dtype)
    out, C, grads = exact(p, x, y)
    assert not beyond(out, dtype)
    assert beyond(C, dtype) == (truth["cost"] == "beyond"), float(C)
    assert (max_abs(grads) > float(np.finfo(dtype).max)) == (truth["grad"] == "beyond"), max_abs(grads)


def _x64(flag):
    return contextlib.nullcontext() if flag is None else jax.enable_x64(flag)


@pytest.mark.parametrize("x64", [None, False, True], ids=["x64-default", "x64-off", "x64-on"])
@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_results(name, dtype, x64):
    """forward/cost/grad/backprop of both backends on each scenario: finite, correct and in the network's
    dtype where the truth is finite, our "beyond range" ValueError where it is not; no warning; JAX's x64 flag
    as the caller set it."""
    p, x, y, truth, rtol = build(name, dtype)
    flag = bool(jax.config.jax_enable_x64)
    with _x64(x64):
        inside = bool(jax.config.jax_enable_x64)
        for fname in FUNCS:
            for xs, ys in ((x, y), (x[0], y[0])):    # the batch and its first example
                if fname == "manual.backprop" and xs.ndim == 2:
                    continue
                got, err = call(fname, p, xs, ys)
                what = f"{fname} on {name} ({dtype}, {'batch' if xs.ndim == 2 else 'one example'})"
                if fname.endswith("forward"):
                    assert err is None, what
                    assert got.dtype == dtype and np.all((got >= 0) & (got <= 1)), what
                    atol = max(rtol, 1e-12 if dtype == F64 else 1e-5)   # rtol: the amplified sigmoid error
                    np.testing.assert_allclose(got, exact(p, xs, None)[0].astype(F64), rtol=0, atol=atol,
                                               err_msg=what)
                    continue
                kind = "cost" if fname.endswith("cost") else "grad"
                true_beyond = (beyond(exact(p, xs, ys)[1], dtype) if kind == "cost"
                               else max_abs(exact(p, xs, ys)[2]) > float(np.finfo(dtype).max))
                if xs.ndim == 2:
                    assert true_beyond == (truth[kind] == "beyond"), what
                if true_beyond:
                    assert err is not None and f"beyond {dtype}'s range" in str(err), what
                    continue
                assert err is None, f"{what}: {err}"
                if kind == "cost":
                    assert type(got) is dtype.type and np.isfinite(got), what
                    C = exact(p, xs, ys)[1]
                    assert abs(LD(got) - C) <= LD(1e-6 if dtype == F64 else 1e-3) * C + LD(1e-12), (what, got, C)
                else:
                    assert_grad_correct(got, p, xs, ys, rtol, dtype, what)
            assert bool(jax.config.jax_enable_x64) == inside, "a call changed JAX's x64 flag"
    assert bool(jax.config.jax_enable_x64) == flag


@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_backends_agree(name, dtype):
    """manual.grad, manual.backprop and autodiff.grad refuse the same scenarios and otherwise agree with each
    other within the reference's tolerance (or the scenario's rtol where jax.grad overflows)."""
    p, x, y, _, rtol = build(name, dtype)
    for xs, ys in ((x, y), (x[0], y[0])):
        results = {f: call(f, p, xs, ys) for f in ("manual.grad", "autodiff.grad", "manual.cost", "autodiff.cost")
                   + (("manual.backprop",) if xs.ndim == 1 else ())}
        assert (results["manual.grad"][1] is None) == (results["autodiff.grad"][1] is None)
        assert (results["manual.cost"][1] is None) == (results["autodiff.cost"][1] is None)
        if xs.ndim == 1:
            assert (results["manual.backprop"][1] is None) == (results["manual.grad"][1] is None)
        if results["manual.grad"][1] is None:
            m, a = results["manual.grad"][0], results["autodiff.grad"][0]
            if subnormal(*flat(p, xs, ys)):   # JAX reads them as 0: each backend against the truth instead
                assert_grad_correct(m, p, xs, ys, rtol, dtype, "manual.grad")
                assert_grad_correct(a, p, xs, ys, rtol, dtype, "autodiff.grad")
                continue
            ref = reference_or_none(p, xs, ys)
            if ref is not None:
                for (mW, mb), (aW, ab), (tW, tb) in zip(m, a, ref[1]):
                    assert np.all(np.abs(mW.astype(F64) - aW) <= tW) and np.all(np.abs(mb.astype(F64) - ab) <= tb)
            else:
                for (mW, mb), (aW, ab) in zip(m, a):
                    for u, v in ((mW, aW), (mb, ab)):
                        assert np.all(np.abs(u.astype(F64) - v) <= 2 * rtol * float(np.max(np.abs(v)) or 1.0))


SIGMOID_Z = [0.0, 5e-324, -5e-324, 1e-308, -1e-308, 1e-45, 1e-38, 1.0, -1.0, 17.0, -17.0, 36.0, -36.0, 37.5,
             -37.5, 709.0, -709.0, 710.0, -710.0, 745.0, -745.0, 746.0, -746.0, 88.7, -88.7, 89.0, -104.0,
             3e38, -3e38, 3.4e38, -3.4e38, 1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308]


@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
def test_sigmoid_at_extremes(dtype):
    """sigma(z) for z at and near every limit: within ~u (absolute) of the exact value, in [0, 1], exactly
    1 and 0 far out, sigma(+-inf) = 1, 0, dtype kept, no warning."""
    with np.errstate(over="ignore"):
        z = np.array(SIGMOID_Z, F64).astype(dtype)
    z = z[np.isfinite(z)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = manual.sigmoid(z)
        ends = manual.sigmoid(np.array([np.inf, -np.inf], dtype))
    assert got.dtype == dtype and np.all((got >= 0) & (got <= 1))
    want = _sigma(z.astype(LD))[0]
    assert np.all(np.abs(got.astype(LD) - want) <= 2 * LD(np.finfo(dtype).eps)), (z, got, want)
    far = np.abs(z.astype(F64)) > (40 if dtype == F64 else 20)
    assert np.all(got[far] == (z[far] > 0))
    assert ends.tolist() == [1.0, 0.0]


# ---- random draws from an extreme palette -----------------------------------------------------------------

PALETTE = {
    F64: [0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 5e-324, -5e-324, 1e-308, 1e10, -1e10, 1e154, -1e154, 1e300,
          -1e300, 1.7976931348623157e308, -1.7976931348623157e308],
    F32: [0.0, 1.0, -1.0, 0.5, 1e-38, -1e-38, 1e-45, -1e-45, 1e5, -1e5, 1.8e19, -1.8e19, 3e38, -3e38,
          3.4028234663852886e38, -3.4028234663852886e38],
}
ARCHS = [(1, 1), (2, 2), (2, 3, 2), (3, 2, 1)]


def SLACK(L: int) -> float:
    """How far a correct computation may exceed the exact value at saturation (module docstring): ~3 per
    sigma' and per activation on the way, 2 ways per layer."""
    return 3.0 ** (2 * L + 1)


@st.composite
def extreme_case(draw):
    dtype = draw(st.sampled_from([F64, F32]))
    sizes = draw(st.sampled_from(ARCHS))
    m = draw(st.sampled_from([0, 2]))
    pal = st.sampled_from(PALETTE[dtype])

    def arr(shape):
        return np.array(draw(st.lists(pal, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                        F64).reshape(shape).astype(dtype)

    params = [(arr((n, k)), arr((n,))) for k, n in zip(sizes, sizes[1:])]
    lead = (m,) if m else ()
    return params, arr(lead + (sizes[0],)), arr(lead + (sizes[-1],)), dtype


@given(case=extreme_case(), x64=st.sampled_from([None, False, True]))
def test_random_extremes(case, x64):
    """Random nets whose every weight, bias, input and target is an extreme value: no warning, no exception
    but ours; finite results in the network's dtype that agree with jax.grad (within the reference's
    tolerance where that is finite); a "beyond range" refusal only where the exact value is within SLACK of the
    limit or beyond, and an answer wherever it is clearly in range; except where JAX reads subnormal inputs as
    0 (autodiff) or where some z is ill-conditioned (every backend), both of which are held to finiteness and
    our words only."""
    params, x, y, dtype = case
    limit = float(np.finfo(dtype).max)
    L = len(params)
    flushed = subnormal(*flat(params, x, y))   # autodiff computes with those read as 0: judged on finiteness only
    unsure = ill_conditioned(params, x, dtype)  # every backend: judged on finiteness only
    _, C, grads = exact(params, x, y)
    flag = bool(jax.config.jax_enable_x64)
    with _x64(x64):
        outcomes = {}
        for fname in FUNCS:
            if fname == "manual.backprop" and x.ndim == 2:
                continue
            got, err = call(fname, params, x, y)
            outcomes[fname] = err is None
            if fname.endswith("forward"):
                assert err is None and got.dtype == dtype and np.all((got >= 0) & (got <= 1))
            elif fname.endswith("cost"):
                if err is None:
                    assert type(got) is dtype.type and np.isfinite(got)
                elif not unsure:
                    assert float(C) > limit / 1.01, (fname, float(C))
            elif err is None:
                assert all(g.dtype == dtype and np.isfinite(g).all() for pair in got for g in pair)
                ref = None if subnormal(*flat(params, x, y)) else reference_or_none(params, x, y)
                if ref is not None:
                    for (gW, gb), (rW, rb), (tW, tb) in zip(got, *ref):
                        assert np.all(np.abs(gW.astype(F64) - rW) <= tW), (fname, gW, rW, tW)
                        assert np.all(np.abs(gb.astype(F64) - rb) <= tb), (fname, gb, rb, tb)
            elif not (unsure or flushed and fname.startswith("autodiff")):
                assert max_abs(grads) > limit / SLACK(L), (fname, max_abs(grads), err)
    assert bool(jax.config.jax_enable_x64) == flag
    if max_abs(grads) < limit / SLACK(L) and not unsure:   # clearly in range: every backend answers
        assert outcomes["manual.grad"] and outcomes.get("manual.backprop", True)
        assert outcomes["autodiff.grad"] or flushed
    # (The converse cannot be asked: where a true sigma' is below ~u, e^-40 say, every float computation of
    # sigma' = a(1 - a) gives exactly 0, so a true gradient of 1e400 e^-40 comes out as a finite 0 within the
    # documented accuracy, the absolute error ~u of sigma' times |a - y| |W| |x|.)


# ---- subnormal numbers ------------------------------------------------------------------------------------

SUBNORMAL_CASES = {   # a subnormal weight or input meeting a huge one: the product is an ordinary number
    "subnormal-weight-huge-input": lambda d: ([(np.array([[TINY[d][0]]]), np.zeros(1))], np.array([BIG[d] / 10]),
                                              np.array([0.25])),
    "huge-weight-subnormal-input": lambda d: ([(np.array([[TOP[d] / 2]]), np.zeros(1))], np.array([TINY[d][0]]),
                                              np.array([0.25])),
}


def _subnormal_case(name, dtype):
    p, x, y = SUBNORMAL_CASES[name](dtype)
    return [(W.astype(dtype), b.astype(dtype)) for W, b in p], x.astype(dtype), y.astype(dtype)


@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", list(SUBNORMAL_CASES))
def test_manual_computes_with_subnormal_numbers(name, dtype):
    """manual (NumPy) keeps subnormal numbers: 1e-308 * 1e299 is 1e-9, not 0, in z, the cost and the gradient."""
    p, x, y = _subnormal_case(name, dtype)
    out, C, grads = exact(p, x, y)
    tol = 1e3 * float(np.finfo(dtype).eps)
    for fname in ("manual.forward", "manual.cost", "manual.grad", "manual.backprop"):
        got, err = call(fname, p, x, y)
        assert err is None
        if fname.endswith("forward"):
            assert abs(float(got[0]) - float(out[0])) <= tol
        elif fname.endswith("cost"):
            assert abs(float(got) - float(C)) <= tol * float(C)
        else:
            assert_grad_correct(got, p, x, y, 0.0, dtype, fname)


@pytest.mark.xfail(strict=True, reason="XLA on CPU flushes subnormal numbers to zero (denormals-are-zero): "
                                        "autodiff, and compare's engine, read them as 0 (documented in the README)")
@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", list(SUBNORMAL_CASES))
def test_jax_reads_subnormal_numbers_as_zero(name, dtype):
    """Documents a limitation of the JAX side: where a subnormal number meets a huge one, autodiff's result is
    that of the same input with the subnormal number replaced by 0."""
    p, x, y = _subnormal_case(name, dtype)
    got, err = call("autodiff.grad", p, x, y)
    assert err is None
    assert_grad_correct(got, p, x, y, 0.0, dtype, "autodiff.grad")
