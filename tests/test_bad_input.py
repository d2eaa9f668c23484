"""Every bad input, for every public function of both backends: the right exception type, a message of ours
that names the problem, and the caller's arrays untouched. Then the good-input contract: integer data accepted
exactly, nothing modified, read-only arrays, tuples, JAX/NumPy arrays across backends, dtype in = dtype out
whatever JAX's x64 flag, and init_params.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autodiff
import manual

ROOT = Path(__file__).resolve().parents[1]
OUR_DIRS = (ROOT / "manual", ROOT / "autodiff")

# Text that would show a NumPy/JAX internal error leaking through instead of our own message.
FOREIGN = ["operands could not be broadcast", "matmul", "jax", "xla", "traceback", "tracer", "not subscriptable",
           "has no attribute", "unsupported operand", "dot_general", "object is not iterable", "shapes ("]

FUNCS = {
    "manual.forward": (manual.forward, False),
    "manual.cost": (manual.cost, True),
    "manual.grad": (manual.grad, True),
    "manual.backprop": (manual.backprop, True),
    "autodiff.forward": (autodiff.forward, False),
    "autodiff.cost": (autodiff.cost, True),
    "autodiff.grad": (autodiff.grad, True),
}
ALL = list(FUNCS)
WITH_Y = [name for name, (_, takes_y) in FUNCS.items() if takes_y]
BATCH_OK = [name for name in ALL if name != "manual.backprop"]


def call(name, params, x, y=None):
    f, takes_y = FUNCS[name]
    return f(params, x, y) if takes_y else f(params, x)


# ---- the base network: sizes 2-3-2 --------------------------------------------------------------------------


def net(dtype=np.float64):
    """A fresh valid 2-3-2 network, one example and a batch of 4 (new arrays on every call)."""
    params = manual.init_params([2, 3, 2], seed=7, dtype=dtype)
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (4, 2)).astype(dtype)
    Y = rng.uniform(0, 1, (4, 2)).astype(dtype)
    return params, X[0].copy(), Y[0].copy(), X, Y


_KEEP = object()


def with_layer(params, l, W=_KEEP, b=_KEEP):
    """A copy of the list ``params`` with layer l (1-based) given a new W and/or b."""
    out = list(params)
    oW, ob = out[l - 1]
    out[l - 1] = (oW if W is _KEEP else W, ob if b is _KEEP else b)
    return out


@dataclass
class Case:
    id: str
    build: Callable  # (params, x, y, X, Y) -> (params, x, y)
    exc: type
    match: str
    needs_y: bool = False  # only for functions that take y
    marks: list = field(default_factory=list)


F64, F32 = np.float64, np.float32


def _p(fn):
    """A case that changes params only (one example x, y)."""
    return lambda p, x, y, X, Y: (fn(p), x, y)


def _x(fn):
    return lambda p, x, y, X, Y: (p, fn(x, X), y)


def _y(fn):
    return lambda p, x, y, X, Y: (p, x, fn(y, Y))


def _nan_at(a, idx, v=np.nan):
    a = a.copy()
    a[idx] = v
    return a


CASES = [
    # --- params: the container ---
    Case("params-empty-list", _p(lambda p: []), ValueError, r"params is empty"),
    Case("params-empty-tuple", _p(lambda p: ()), ValueError, r"params is empty"),
    Case("params-dict", _p(lambda p: {"W1": p[0][0], "b1": p[0][1]}), TypeError,
         r"params must be a list of \(W, b\) pairs.*got dict"),
    Case("params-bare-array", _p(lambda p: p[0][0]), TypeError, r"params must be a list.*got ndarray"),
    Case("params-None", _p(lambda p: None), TypeError, r"params must be a list.*got NoneType"),
    Case("params-string", _p(lambda p: "W1b1"), TypeError, r"params must be a list.*got str"),
    Case("params-generator", _p(lambda p: (pair for pair in p)), TypeError, r"params must be a list.*got generator"),
    Case("params-one-bare-pair", _p(lambda p: p[0]), TypeError, r"layer 1: expected a pair \(W, b\), got ndarray"),
    Case("pair-of-3", _p(lambda p: [(p[0][0], p[0][1], p[0][1]), p[1]]), TypeError,
         r"layer 1: expected a pair \(W, b\), got tuple of length 3"),
    Case("pair-of-1", _p(lambda p: [p[0], [p[1][0]]]), TypeError,
         r"layer 2: expected a pair \(W, b\), got list of length 1"),
    Case("pair-is-array", _p(lambda p: [p[0], p[1][0]]), TypeError, r"layer 2: expected a pair.*got ndarray"),
    # --- params: shapes ---
    Case("layers-do-not-chain", _p(lambda p: with_layer(p, 2, W=np.zeros((2, 4)))), ValueError,
         r"layer 2: W has shape \(2, 4\) but layer 1 has 3 neurons, so expected \(2, 3\).*do not chain"),
    Case("bias-wrong-length", _p(lambda p: with_layer(p, 1, b=np.zeros(2))), ValueError,
         r"layer 1: b has shape \(2,\), expected \(3,\)"),
    Case("bias-too-long-last", _p(lambda p: with_layer(p, 2, b=np.zeros(5))), ValueError,
         r"layer 2: b has shape \(5,\), expected \(2,\)"),
    Case("bias-column", _p(lambda p: with_layer(p, 1, b=p[0][1][:, None].copy())), ValueError,
         r"layer 1: b has shape \(3, 1\), expected \(3,\).*not a column"),
    Case("bias-row", _p(lambda p: with_layer(p, 2, b=p[1][1][None, :].copy())), ValueError,
         r"layer 2: b has shape \(1, 2\), expected \(2,\)"),
    Case("bias-0d", _p(lambda p: with_layer(p, 2, b=np.float64(0.5))), ValueError, r"layer 2: b has shape \(\)"),
    Case("weights-1d", _p(lambda p: with_layer(p, 2, W=np.zeros(3))), ValueError,
         r"layer 2: W must be 2-D with shape \(n_2, n_1\), got shape \(3,\)"),
    Case("weights-3d", _p(lambda p: with_layer(p, 1, W=p[0][0][:, :, None].copy())), ValueError,
         r"layer 1: W must be 2-D.*got shape \(3, 2, 1\)"),
    Case("weights-0d", _p(lambda p: with_layer(p, 1, W=np.float64(1.0))), ValueError,
         r"layer 1: W must be 2-D.*got shape \(\)"),
    Case("zero-width-layer", _p(lambda p: [(np.zeros((0, 2)), np.zeros(0)), (np.zeros((2, 0)), np.zeros(2))]),
         ValueError, r"layer 1: W has shape \(0, 2\); a layer needs at least one neuron"),
    Case("zero-width-input", _p(lambda p: [(np.zeros((3, 0)), np.zeros(3)), p[1]]), ValueError,
         r"layer 1: W has shape \(3, 0\); a layer needs at least one neuron"),
    # --- params: values ---
    Case("nan-in-W", _p(lambda p: with_layer(p, 2, W=_nan_at(p[1][0], (1, 2)))), ValueError,
         r"layer 2: W contains nan at index \(1, 2\); every value must be finite"),
    Case("inf-in-W", _p(lambda p: with_layer(p, 1, W=_nan_at(p[0][0], (0, 1), np.inf))), ValueError,
         r"layer 1: W contains inf at index \(0, 1\).*finite"),
    Case("nan-in-b", _p(lambda p: with_layer(p, 1, b=_nan_at(p[0][1], 2))), ValueError,
         r"layer 1: b contains nan at index \(2,\).*finite"),
    Case("-inf-in-b", _p(lambda p: with_layer(p, 2, b=_nan_at(p[1][1], 0, -np.inf))), ValueError,
         r"layer 2: b contains -inf at index \(0,\).*finite"),
    # --- params: types ---
    Case("W-string", _p(lambda p: with_layer(p, 1, W="abc")), TypeError,
         r"layer 1: W must be an array of numbers, got str"),
    Case("W-bytes", _p(lambda p: with_layer(p, 1, W=b"abc")), TypeError,
         r"layer 1: W must be an array of numbers, got bytes"),
    Case("W-None", _p(lambda p: with_layer(p, 2, W=None)), TypeError,
         r"layer 2: W must be an array of numbers, got NoneType"),
    Case("W-string-array", _p(lambda p: with_layer(p, 1, W=p[0][0].astype(str))), TypeError,
         r"layer 1: W has dtype <U\d+ \(string\); expected float32 or float64"),
    Case("b-bytes-array", _p(lambda p: with_layer(p, 1, b=p[0][1].astype(bytes))), TypeError,
         r"layer 1: b has dtype \|S\d+ \(bytes\)"),
    Case("W-object-array", _p(lambda p: with_layer(p, 1, W=p[0][0].astype(object))), TypeError,
         r"layer 1: W has dtype object \(object\)"),
    Case("b-complex", _p(lambda p: with_layer(p, 2, b=p[1][1].astype(complex))), TypeError,
         r"layer 2: b has dtype complex128 \(complex\)"),
    Case("W-complex", _p(lambda p: with_layer(p, 1, W=p[0][0] + 0j)), TypeError, r"layer 1: W.*complex"),
    Case("W-datetime", _p(lambda p: with_layer(p, 1, W=np.zeros((3, 2), "datetime64[s]"))), TypeError,
         r"layer 1: W.*datetime"),
    Case("W-bool", _p(lambda p: with_layer(p, 1, W=p[0][0] > 0)), TypeError,
         r"layer 1: W has dtype bool; parameters must be float32 or float64"),
    Case("b-bool", _p(lambda p: with_layer(p, 2, b=np.array([True, False]))), TypeError,
         r"layer 2: b has dtype bool; parameters must be float32 or float64"),
    Case("W-int", _p(lambda p: with_layer(p, 1, W=np.ones((3, 2), np.int64))), TypeError,
         r"layer 1: W has dtype int64; parameters must be float32 or float64"),
    Case("W-float16", _p(lambda p: with_layer(p, 1, W=p[0][0].astype(np.float16))), TypeError,
         r"layer 1: W has dtype float16"),
    Case("W-ragged-list", _p(lambda p: with_layer(p, 1, W=[[1.0, 2.0], [3.0], [4.0, 5.0]])), TypeError,
         r"layer 1: W must be an array of numbers, got list"),
    Case("mixed-dtype-across-layers", _p(lambda p: with_layer(p, 2, W=p[1][0].astype(F32), b=p[1][1].astype(F32))),
         TypeError, r"layer 2: W is float32 but layer 1's W is float64; all parameters must share one dtype"),
    Case("mixed-dtype-within-layer", _p(lambda p: with_layer(p, 1, b=p[0][1].astype(F32))), TypeError,
         r"layer 1: b is float32 but layer 1's W is float64"),
    # --- x ---
    Case("x-wrong-width", _x(lambda x, X: np.zeros(3)), ValueError,
         r"x has shape \(3,\): its last axis must be 2 = n_0"),
    Case("x-batch-wrong-width", _x(lambda x, X: np.zeros((4, 5))), ValueError,
         r"x has shape \(4, 5\): its last axis must be 2 = n_0"),
    Case("x-empty-1d", _x(lambda x, X: np.zeros(0)), ValueError, r"x has shape \(0,\): its last axis must be 2"),
    Case("x-empty-batch", _x(lambda x, X: np.zeros((0, 2))), ValueError,
         r"x has shape \(0, 2\): a batch needs at least one example"),
    Case("x-3d", _x(lambda x, X: X[None]), ValueError,
         r"x has shape \(1, 4, 2\); expected \(2,\) for one example or \(m, 2\) for a batch"),
    Case("x-0d", _x(lambda x, X: np.float64(0.5)), ValueError, r"x has shape \(\); expected \(2,\)"),
    Case("x-python-float", _x(lambda x, X: 0.5), ValueError, r"x has shape \(\); expected \(2,\)"),
    Case("x-nan", _x(lambda x, X: _nan_at(x, 1)), ValueError, r"x contains nan at index \(1,\); every value"),
    Case("x-inf-in-batch", _x(lambda x, X: _nan_at(X, (3, 0), np.inf)), ValueError,
         r"x contains inf at index \(3, 0\).*finite"),
    Case("x-string", _x(lambda x, X: "0.5 0.5"), TypeError, r"x must be an array of numbers, got str"),
    Case("x-bytes", _x(lambda x, X: b"\x00\x01"), TypeError, r"x must be an array of numbers, got bytes"),
    Case("x-None", _x(lambda x, X: None), TypeError, r"x must be an array of numbers, got NoneType"),
    Case("x-string-array", _x(lambda x, X: np.array(["0.5", "1"])), TypeError, r"x has dtype <U\d+ \(string\)"),
    Case("x-object-array", _x(lambda x, X: x.astype(object)), TypeError, r"x has dtype object \(object\)"),
    Case("x-list-with-None", _x(lambda x, X: [0.5, None]), TypeError, r"x has dtype object \(object\)"),
    Case("x-complex", _x(lambda x, X: x + 1j), TypeError, r"x has dtype complex128 \(complex\)"),
    Case("x-datetime", _x(lambda x, X: np.zeros(2, "datetime64[D]")), TypeError, r"x.*datetime"),
    Case("x-timedelta", _x(lambda x, X: np.zeros(2, "timedelta64[s]")), TypeError, r"x.*timedelta"),
    Case("x-float32-params-float64", _x(lambda x, X: x.astype(F32)), TypeError,
         r"x is float32 but the parameters are float64; convert one of them explicitly"),
    Case("x-float16", _x(lambda x, X: x.astype(np.float16)), TypeError, r"x is float16 but the parameters are float64"),
    Case("x-longdouble", _x(lambda x, X: x.astype(np.longdouble)), TypeError, r"x is float128|x is longdouble"),
    Case("x-ragged-list", _x(lambda x, X: [[0.5, 0.5], [0.5]]), TypeError, r"x must be an array of numbers, got list"),
    # --- y ---
    Case("y-wrong-width", _y(lambda y, Y: np.zeros(3)), ValueError,
         r"y has shape \(3,\): its last axis must be 2 = n_L", needs_y=True),
    Case("y-batch-wrong-width", lambda p, x, y, X, Y: (p, X, np.zeros((4, 1))), ValueError,
         r"y has shape \(4, 1\): its last axis must be 2 = n_L", needs_y=True),
    Case("batch-sizes-differ", lambda p, x, y, X, Y: (p, X, Y[:3]), ValueError,
         r"x holds 4 examples but y holds 3: batch sizes differ", needs_y=True),
    Case("batch-vs-single", lambda p, x, y, X, Y: (p, X, y), ValueError,
         r"x has shape \(4, 2\) but y has shape \(2,\)", needs_y=True),
    Case("single-vs-batch", lambda p, x, y, X, Y: (p, x, Y[:1]), ValueError,
         r"x has shape \(2,\) but y has shape \(1, 2\)", needs_y=True),
    Case("y-empty-batch", lambda p, x, y, X, Y: (p, X, Y[:0]), ValueError,
         r"y has shape \(0, 2\): a batch needs at least one example", needs_y=True),
    Case("y-3d", _y(lambda y, Y: Y[None]), ValueError, r"y has shape \(1, 4, 2\); expected \(2,\)", needs_y=True),
    Case("y-0d", _y(lambda y, Y: np.float64(1.0)), ValueError, r"y has shape \(\)", needs_y=True),
    Case("y-nan", _y(lambda y, Y: _nan_at(y, 0)), ValueError, r"y contains nan at index \(0,\).*finite",
         needs_y=True),
    Case("y-inf", _y(lambda y, Y: _nan_at(y, 1, -np.inf)), ValueError, r"y contains -inf at index \(1,\)",
         needs_y=True),
    Case("y-string", _y(lambda y, Y: "1 0"), TypeError, r"y must be an array of numbers, got str", needs_y=True),
    Case("y-string-array", _y(lambda y, Y: np.array(["1", "0"])), TypeError, r"y has dtype <U1 \(string\)",
         needs_y=True),
    Case("y-object-array", _y(lambda y, Y: y.astype(object)), TypeError, r"y has dtype object \(object\)",
         needs_y=True),
    Case("y-complex", _y(lambda y, Y: y.astype(np.complex64)), TypeError, r"y has dtype complex64 \(complex\)",
         needs_y=True),
    Case("y-float32-params-float64", _y(lambda y, Y: y.astype(F32)), TypeError,
         r"y is float32 but the parameters are float64", needs_y=True),
    Case("y-None", _y(lambda y, Y: None), TypeError, r"y must be an array of numbers, got NoneType", needs_y=True),
]

# float32 networks with float64 data (the other direction of the mixed-precision policy)
CASES_F32 = [
    Case("f32net-x-float64", _x(lambda x, X: x.astype(F64)), TypeError,
         r"x is float64 but the parameters are float32; convert one of them explicitly"),
    Case("f32net-x-python-list", _x(lambda x, X: x.tolist()), TypeError,
         r"x is float64 but the parameters are float32"),
    Case("f32net-y-float64", _y(lambda y, Y: y.astype(F64)), TypeError,
         r"y is float64 but the parameters are float32", needs_y=True),
    Case("f32net-mixed-layer-2-float64", _p(lambda p: with_layer(p, 2, W=p[1][0].astype(F64))), TypeError,
         r"layer 2: W is float64 but layer 1's W is float32"),
    Case("f32net-nan-W", _p(lambda p: with_layer(p, 1, W=_nan_at(p[0][0], (2, 1)))), ValueError,
         r"layer 1: W contains nan at index \(2, 1\)"),
]


def snapshot(obj):
    """A deep copy of nested lists/tuples/dicts of arrays, to compare with after a call."""
    if isinstance(obj, np.ndarray):
        return obj.copy()
    if isinstance(obj, (list, tuple)):
        return type(obj)(snapshot(o) for o in obj)
    if isinstance(obj, dict):
        return {k: snapshot(v) for k, v in obj.items()}
    return obj


def assert_same(before, after):
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray)
        assert before.dtype == after.dtype and before.shape == after.shape
        if before.dtype.kind in "fc":
            assert np.array_equal(before, after, equal_nan=True)
            assert before.tobytes() == after.tobytes()
        else:
            assert before.tolist() == after.tolist()
    elif isinstance(before, (list, tuple)):
        assert type(before) is type(after) and len(before) == len(after)
        for b, a in zip(before, after):
            assert_same(b, a)
    elif isinstance(before, dict):
        assert before.keys() == after.keys()
        for k in before:
            assert_same(before[k], after[k])
    else:
        assert before == after or before is after


def assert_ours(excinfo, exc_type):
    """The exception is exactly ``exc_type``, raised by our code, with none of NumPy/JAX's wording."""
    assert excinfo.type is exc_type, f"{excinfo.type.__name__}: {excinfo.value}"
    msg = str(excinfo.value)
    for word in FOREIGN:
        assert word not in msg.lower(), f"foreign text {word!r} in message: {msg}"
    raised_in = Path(str(excinfo.traceback[-1].path)).resolve()
    assert any(d in raised_in.parents for d in OUR_DIRS), f"raised in {raised_in}, not in manual/ or autodiff/"


def params_of(case_list, dtype, funcs_all, funcs_y):
    out = []
    for c in case_list:
        for name in (funcs_y if c.needs_y else funcs_all):
            out.append(pytest.param(c, name, dtype, id=f"{name}:{c.id}", marks=c.marks))
    return out


BAD = params_of(CASES, F64, ALL, WITH_Y) + params_of(CASES_F32, F32, ALL, WITH_Y)


@pytest.mark.parametrize("case, name, dtype", BAD)
def test_bad_input(case, name, dtype):
    p, x, y, X, Y = net(dtype)
    params, x, y = case.build(p, x, y, X, Y)
    before = snapshot((params, x, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(Exception) as excinfo:  # noqa: B017 -- the exact type is checked by assert_ours
            call(name, params, x, y)
    assert_ours(excinfo, case.exc)
    assert re.search(case.match, str(excinfo.value)), f"{str(excinfo.value)!r} does not match {case.match!r}"
    # the caller's objects are as they were
    assert_same(before, (params, x, y))


def test_bad_input_counts():
    """Documents how many distinct bad inputs each function is tried with (see the report)."""
    counts = {name: 0 for name in ALL}
    for c in CASES + CASES_F32:
        for name in (WITH_Y if c.needs_y else ALL):
            counts[name] += 1
    n_y = sum(c.needs_y for c in CASES + CASES_F32)
    assert counts["manual.forward"] == counts["autodiff.forward"] == len(CASES) + len(CASES_F32) - n_y == 68
    for name in WITH_Y:
        assert counts[name] == len(CASES) + len(CASES_F32) == 85


# ---- random wrong widths, with Hypothesis ----------------------------------------------------------------


@given(name=st.sampled_from(ALL), width=st.integers(0, 9).filter(lambda w: w != 2), m=st.one_of(st.none(),
                                                                                                 st.integers(1, 5)))
def test_random_wrong_x_width(name, width, m):
    p, _, y, _, Y = net()
    shape = (width,) if m is None else (m, width)
    x = np.zeros(shape)
    yy = y if m is None else np.zeros((m, 2))
    with pytest.raises(ValueError) as excinfo:
        call(name, p, x, yy)
    assert_ours(excinfo, ValueError)
    assert f"x has shape {shape}" in str(excinfo.value) and "must be 2" in str(excinfo.value)


@given(name=st.sampled_from(WITH_Y), width=st.integers(0, 9).filter(lambda w: w != 2),
       m=st.one_of(st.none(), st.integers(1, 5)))
def test_random_wrong_y_width(name, width, m):
    p, x, _, _, _ = net()
    xx = x if m is None else np.zeros((m, 2))
    shape = (width,) if m is None else (m, width)
    with pytest.raises(ValueError) as excinfo:
        call(name, p, xx, np.zeros(shape))
    assert_ours(excinfo, ValueError)
    assert f"y has shape {shape}" in str(excinfo.value) and "must be 2" in str(excinfo.value)


@given(name=st.sampled_from(WITH_Y), mx=st.integers(1, 6), my=st.integers(0, 6))
def test_random_batch_sizes_differ(name, mx, my):
    if mx == my:
        my = mx + 1
    p, *_ = net()
    with pytest.raises(ValueError) as excinfo:
        call(name, p, np.zeros((mx, 2)), np.zeros((my, 2)))
    assert_ours(excinfo, ValueError)
    msg = str(excinfo.value)
    assert "at least one example" in msg if my == 0 else f"x holds {mx} examples but y holds {my}" in msg


@given(name=st.sampled_from(ALL), sizes=st.lists(st.integers(1, 5), min_size=3, max_size=5), data=st.data())
def test_random_layers_do_not_chain(name, sizes, data):
    params = manual.init_params(sizes, seed=0)
    l = data.draw(st.integers(2, len(params)), label="broken layer")
    n_l, n_prev = params[l - 1][0].shape
    bad_in = data.draw(st.integers(1, 6).filter(lambda k: k != n_prev), label="wrong fan-in")
    params[l - 1] = (np.zeros((n_l, bad_in)), params[l - 1][1])
    with pytest.raises(ValueError) as excinfo:
        call(name, params, np.zeros(sizes[0]), np.zeros(sizes[-1]))
    assert_ours(excinfo, ValueError)
    assert re.search(rf"layer {l}: W has shape \({n_l}, {bad_in}\) but layer {l - 1} has {n_prev} neurons, "
                     rf"so expected \({n_l}, {n_prev}\): layers do not chain", str(excinfo.value))


@given(name=st.sampled_from(ALL), n=st.integers(0, 6).filter(lambda n: n != 3))
def test_random_bias_length(name, n):
    p, x, y, _, _ = net()
    params = with_layer(p, 1, b=np.zeros(n))
    with pytest.raises(ValueError) as excinfo:
        call(name, params, x, y)
    assert_ours(excinfo, ValueError)
    assert f"layer 1: b has shape ({n},), expected (3,)" in str(excinfo.value)


# ---- backprop is for one example -------------------------------------------------------------------------


@pytest.mark.parametrize("m", [1, 4])
def test_backprop_refuses_a_batch(m):
    p, _, _, X, Y = net()
    before = snapshot((p, X, Y))
    with pytest.raises(ValueError, match="one example") as excinfo:
        manual.backprop(p, X[:m], Y[:m])
    assert_ours(excinfo, ValueError)
    assert f"({m}, 2)" in str(excinfo.value) and "use grad for a batch" in str(excinfo.value)
    assert_same(before, (p, X, Y))


# ---- big arrays (over 4096 elements: the finiteness check may take another path) -------------------------


BIG = 3000  # a (3000, 2) batch has 6000 elements


@pytest.mark.parametrize("name, where, value", [
    (n, w, v) for n in ALL for w, v in (("x", np.nan), ("x", -np.inf), ("y", np.inf), ("W", np.nan))
    if w != "y" or n in WITH_Y])
def test_non_finite_in_big_arrays(name, where, value):
    rng = np.random.default_rng(0)
    params = manual.init_params([2, 3, 2], seed=0)
    X, Y = rng.uniform(-1, 1, (BIG, 2)), rng.uniform(0, 1, (BIG, 2))
    if where == "W":
        params = [(rng.normal(size=(2500, 2)), np.zeros(2500)), (rng.normal(size=(2, 2500)), np.zeros(2))]
        params[0][0][57, 1] = value
        match = r"layer 1: W contains nan at index \(57, 1\)"
    else:
        (X if where == "x" else Y)[1234, 1] = value
        match = rf"{where} contains {re.escape(str(value))} at index \(1234, 1\); every value must be finite"
    before = snapshot((params, X, Y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match) as excinfo:
            call(name, params, X, Y)
    assert_ours(excinfo, ValueError)
    assert_same(before, (params, X, Y))


@pytest.mark.parametrize("name", [n for n in ALL if n != "manual.backprop"])  # a batch: backprop refuses it
def test_big_finite_values_do_not_warn(name):
    params = [(np.full((2, 2), 1e-10), np.zeros(2))]  # z = 1e-10 (1e305 + 1e305) ~ 2e295: no overflow in z
    X = np.full((BIG, 2), 1e305)                        # finite, but 3000 * 1e305 overflows a column sum
    Y = np.zeros((BIG, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(name, params, X, Y)


# ---- huge but finite values ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["manual.forward", "manual.cost", "manual.grad", "manual.backprop"])
@pytest.mark.parametrize("dtype, v", [(F64, 1e200), (F32, 1e20)])
def test_overflowing_z_does_not_warn(name, dtype, v):
    params = [(np.array([[v]], dtype), np.zeros(1, dtype))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(name, params, np.array([v], dtype), np.array([1], dtype))


@pytest.mark.parametrize("name", ["autodiff.forward", "autodiff.cost", "autodiff.grad"])
@pytest.mark.parametrize("dtype, v", [(F64, 1e200), (F32, 1e20)])
def test_overflowing_z_autodiff(name, dtype, v):
    params = [(np.array([[v]], dtype), np.zeros(1, dtype))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = call(name, params, np.array([v], dtype), np.array([1], dtype))
    if name.endswith("forward"):
        assert out.tolist() == [1.0]
    elif name.endswith("cost"):
        assert out == 0.0
    else:
        assert [g.tolist() for pair in out for g in pair] == [[[0.0]], [0.0]]


# ---- good inputs: integer data, no mutation, read-only, tuples, cross-backend arrays ---------------------


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("int_dtype", [np.int64, np.int32, np.uint8, np.bool_, "list"])
def test_integer_data_is_accepted_exactly(name, dtype, int_dtype):
    p, *_ = net(dtype)
    xi = np.array([[1, 0], [0, 1], [1, 1]])
    yi = np.array([[0, 1], [1, 1], [1, 0]])
    batch = name != "manual.backprop"
    if not batch:
        xi, yi = xi[0], yi[0]
    if int_dtype == "list":
        x_int, y_int = xi.tolist(), yi.tolist()
    else:
        x_int, y_int = xi.astype(int_dtype), yi.astype(int_dtype)
    want = call(name, p, xi.astype(dtype), yi.astype(dtype))
    got = call(name, p, x_int, y_int)
    assert_results_equal(got, want, dtype)


def assert_results_equal(got, want, dtype):
    if isinstance(want, list):
        assert len(got) == len(want)
        for (gW, gb), (wW, wb) in zip(got, want):
            for g, w in ((gW, wW), (gb, wb)):
                assert isinstance(g, np.ndarray) and g.dtype == dtype
                assert np.array_equal(g, w)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == dtype and np.array_equal(got, want)
    else:
        assert type(got) is type(want) is np.dtype(dtype).type
        assert got == want


def _inputs_for(name, p, x, y, X, Y):
    return (p, x, y) if name == "manual.backprop" else (p, X, Y)


@pytest.mark.parametrize("name, single", [(n, True) for n in ALL] + [(n, False) for n in BATCH_OK],
                         ids=[f"{n}-single" for n in ALL] + [f"{n}-batch" for n in BATCH_OK])
def test_success_does_not_modify_inputs(name, single):
    p, x, y, X, Y = net()
    args = (p, x, y) if single else (p, X, Y)
    before = snapshot(args)
    out = call(name, *args)
    assert_same(before, args)
    # and the result shares no memory with any input
    outs = [a for pair in out for a in pair] if isinstance(out, list) else [np.asarray(out)]
    ins = [a for pair in p for a in pair] + list(args[1:])
    assert not any(np.shares_memory(o, i) for o in outs for i in ins)


@pytest.mark.parametrize("name", ALL)
def test_results_are_writeable_and_updating_them_leaves_inputs_alone(name):
    p, x, y, X, Y = net()
    args = _inputs_for(name, p, x, y, X, Y)
    before = snapshot(args)
    out = call(name, *args)
    if isinstance(out, list):
        for gW, gb in out:
            gW += 1.0
            gb += 1.0
    elif isinstance(out, np.ndarray):
        out += 1.0
    assert_same(before, args)


def _read_only(obj):
    if isinstance(obj, np.ndarray):
        obj = obj.copy()
        obj.flags.writeable = False
        return obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(_read_only(o) for o in obj)
    return obj


@pytest.mark.parametrize("name", ALL)
def test_read_only_arrays_work(name):
    p, x, y, X, Y = net()
    args = _inputs_for(name, p, x, y, X, Y)
    ro = _read_only(args)
    assert not ro[1].flags.writeable and not ro[0][0][0].flags.writeable
    assert_results_equal(call(name, *ro), call(name, *args), F64)


@pytest.mark.parametrize("name", ALL)
def test_tuples_and_lists_of_pairs_work(name):
    p, x, y, X, Y = net()
    _, *data = _inputs_for(name, p, x, y, X, Y)
    want = call(name, p, *data)
    for variant in (tuple(p), tuple(tuple(pair) for pair in p), [list(pair) for pair in p], tuple([list(p[0]), p[1]])):
        assert_results_equal(call(name, variant, *data), want, F64)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [F64, F32])
def test_jax_arrays_work_in_both_backends(name, dtype):
    p, x, y, X, Y = net(dtype)
    args = _inputs_for(name, p, x, y, X, Y)
    want = call(name, *args)
    with jax.enable_x64(dtype == F64):  # float64 JAX arrays exist only with x64 on
        jargs = jax.tree_util.tree_map(jnp.asarray, args)
        assert all(a.dtype == dtype for a in jax.tree_util.tree_leaves(jargs))
    got = call(name, *jargs)
    assert_results_equal(got, want, dtype)


@pytest.mark.parametrize("name", ALL)
def test_numpy_arrays_give_numpy_results(name):
    p, x, y, X, Y = net()
    out = call(name, *_inputs_for(name, p, x, y, X, Y))
    if isinstance(out, list):
        assert all(type(a) is np.ndarray and a.flags.writeable for pair in out for a in pair)
        assert [(gW.shape, gb.shape) for gW, gb in out] == [(W.shape, b.shape) for W, b in p]
    elif name.endswith("forward"):
        assert type(out) is np.ndarray and out.shape == (4, 2)
    else:
        assert type(out) is np.float64


# ---- dtype in = dtype out, whatever JAX's x64 flag; the caller's flag untouched --------------------------


def x64_state():
    return bool(jax.config.jax_enable_x64), bool(jax.config.read("jax_enable_x64"))


def check_dtype_out(name, dtype, single):
    p, x, y, X, Y = net(dtype)
    args = (p, x, y) if single else (p, X, Y)
    out = call(name, *args)
    if isinstance(out, list):
        for (gW, gb), (W, b) in zip(out, p):
            assert gW.dtype == dtype and gb.dtype == dtype and gW.shape == W.shape and gb.shape == b.shape
    elif isinstance(out, np.ndarray):
        assert out.dtype == dtype and out.shape == (args[1].shape[:-1] + (2,))
    else:
        assert type(out) is np.dtype(dtype).type
    return out


@pytest.mark.parametrize("x64", [None, False, True], ids=["default", "x64-off", "x64-on"])
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("name", ALL)
def test_dtype_out_and_x64_flag_untouched(name, dtype, x64):
    outside = x64_state()
    if x64 is None:
        check_dtype_out(name, dtype, single=True)
        if name != "manual.backprop":
            check_dtype_out(name, dtype, single=False)
    else:
        with jax.enable_x64(x64):
            assert x64_state() == (x64, x64)
            check_dtype_out(name, dtype, single=True)
            if name != "manual.backprop":
                check_dtype_out(name, dtype, single=False)
            assert x64_state() == (x64, x64), "the call changed the caller's x64 setting"
    assert x64_state() == outside


@pytest.mark.parametrize("name", ["autodiff.forward", "autodiff.cost", "autodiff.grad"])
def test_autodiff_float64_is_really_float64_with_x64_off(name):
    """Not float32 relabelled: with x64 off the float64 result still matches manual to float64 accuracy."""
    p, x, y, X, Y = net(F64)
    with jax.enable_x64(False):
        got = call(name, p, X, Y)
    want = call("manual." + name.split(".")[1], p, X, Y)
    if isinstance(want, list):
        for (gW, gb), (wW, wb) in zip(got, want):
            np.testing.assert_allclose(gW, wW, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(gb, wb, rtol=1e-12, atol=1e-15)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


# ---- init_params -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sizes, match", [
    ([], r"sizes must list at least two layer sizes"),
    ((), r"sizes must list at least two layer sizes"),
    ([3], r"sizes must list at least two layer sizes"),
    (np.array([3]), r"sizes must list at least two layer sizes"),
    ([3, 0], r"sizes\[1\] must be a positive integer, got 0"),
    ([0, 3], r"sizes\[0\] must be a positive integer, got 0"),
    ([3, -2], r"sizes\[1\] must be a positive integer, got -2"),
    ([3, 2.0], r"sizes\[1\] must be a positive integer, got 2.0"),
    ([3, 2.5, 1], r"sizes\[1\] must be a positive integer, got 2.5"),
    ([3, True], r"sizes\[1\] must be a positive integer, got True"),
    ([np.True_, 3], r"sizes\[0\] must be a positive integer"),
    ([3, "2"], r"sizes\[1\] must be a positive integer, got '2'"),
    ([3, None], r"sizes\[1\] must be a positive integer, got None"),
    (np.array([3.0, 2.0]), r"sizes\[0\] must be a positive integer"),
    (None, r"sizes must list at least two layer sizes.*got None"),
    (np.array([[3, 2]]), r"sizes must list at least two layer sizes"),
])
def test_init_params_bad_sizes(sizes, match):
    with pytest.raises(ValueError, match=match) as excinfo:
        manual.init_params(sizes, seed=0)
    assert_ours(excinfo, ValueError)


@pytest.mark.parametrize("dtype", [np.int64, np.float16, np.complex128, bool, "int32", np.longdouble, object])
def test_init_params_bad_dtype(dtype):
    with pytest.raises(TypeError, match=r"dtype must be float32 or float64, got") as excinfo:
        manual.init_params([2, 3], seed=0, dtype=dtype)
    assert_ours(excinfo, TypeError)


@pytest.mark.parametrize("sizes, shown", [(3, "3"), ("32", "'32'"), (np.array([[3, 2]]), "[[3, 2]]")])
def test_init_params_not_a_sequence_message_shows_the_value(sizes, shown):
    with pytest.raises(ValueError, match=r"sizes must list at least two layer sizes") as excinfo:
        manual.init_params(sizes, seed=0)
    assert_ours(excinfo, ValueError)
    assert "got None" not in str(excinfo.value) and shown in str(excinfo.value)


@pytest.mark.parametrize("sizes", [3, "32", np.array([[3, 2]])], ids=["int", "str", "2-D"])
def test_init_params_not_a_sequence_raises(sizes):
    with pytest.raises(ValueError, match=r"sizes must list at least two layer sizes") as excinfo:
        manual.init_params(sizes, seed=0)
    assert_ours(excinfo, ValueError)


def test_init_params_unknown_dtype_name():
    with pytest.raises(TypeError, match=r"dtype must be float32 or float64"):
        manual.init_params([2, 3], seed=0, dtype="foo")


@pytest.mark.parametrize("sizes", [[1, 1], [2, 3, 1], [4, 5, 6, 3], (3, 2), np.array([2, 2]), [np.int64(2), 3]])
@pytest.mark.parametrize("dtype", [F64, F32, "float32", np.dtype("float64")])
def test_init_params_shapes_and_dtypes(sizes, dtype):
    params = manual.init_params(sizes, seed=3, dtype=dtype)
    sizes = [int(s) for s in sizes]
    assert isinstance(params, list) and len(params) == len(sizes) - 1
    for l, (W, b) in enumerate(params, start=1):
        assert type(W) is np.ndarray and type(b) is np.ndarray
        assert W.shape == (sizes[l], sizes[l - 1]) and b.shape == (sizes[l],)
        assert W.dtype == np.dtype(dtype) and b.dtype == np.dtype(dtype)
        assert np.isfinite(W).all() and np.isfinite(b).all()
    assert manual.sizes_of(params) == sizes
    checked, dt = manual.check_params(params)
    assert dt == np.dtype(dtype)


def test_init_params_default_is_float64():
    W, b = manual.init_params([2, 3], seed=0)[0]
    assert W.dtype == b.dtype == np.float64


def test_init_params_same_seed_same_params():
    a = manual.init_params([4, 5, 3], seed=42)
    b = manual.init_params([4, 5, 3], seed=42)
    c = manual.init_params([4, 5, 3], seed=43)
    assert all(np.array_equal(u, v) for pa, pb in zip(a, b) for u, v in zip(pa, pb))
    assert not all(np.array_equal(u, v) for pa, pc in zip(a, c) for u, v in zip(pa, pc))


def test_init_params_scale():
    """W ~ N(0, 1/n_{l-1}), b = 0: the weights' sample standard deviation is near 1/sqrt(fan-in)."""
    (W, b), = manual.init_params([400, 300], seed=0)
    assert W.std() == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert not b.any()
    assert abs(W.mean()) < 0.01
