"""The fuzzing kit behind test_fuzz.py: the kinds of bad and odd input, the trials that feed them to every public
function, and the checks of what comes back. Each call must return a CORRECT result or raise a ValueError/TypeError
of ours, never anything else, never a warning, never a changed input.

The inputs are a valid network (a few small architectures, float64 and float32, one example or a batch) with
one or two of its pieces replaced by one of the KINDS below: another container (list, tuple, generator, dict,
None, a string), another dtype (ints, bool, float16, the other float, long double, complex, object, strings,
bytes, datetimes, structured), another layout (strided, negative strides, Fortran order, a zero-stride
broadcast view, read-only, big-endian, np.matrix, a masked array, a JAX array), another shape (an axis more
or fewer, 0-d, empty, one longer or shorter, transposed), non-finite or ragged values. ``test_sweep_*`` tries
every kind once per function (deterministic: test_fuzz.py's SWEEP_COUNTS has the counts, and
``python tests/fuzzing.py`` prints what each got); the ``@given`` tests draw random architectures, dtypes,
JAX x64 settings and pairs of kinds.

"Correct" is checked against a trusted path, never against the function itself on the same input:
- an accepted conversion (a list, a read-only or strided array, int data, a JAX array) must give what the same
  call gives on the plain, contiguous, native-dtype array it stands for (CANON), to summation-order rounding
  (``close``: only the memory layout differs, so only the order of the sums may);
- a forward/cost/grad/backprop result must agree with the other backend on the plain arrays: gradients within
  ``compare.reference``'s per-element tolerance (twice the rounding-error bound of one correct computation),
  outputs and costs within FORWARD_ATOL (the two sigmoid formulas differ by ~u absolute per unit, amplified by
  |W| ~ 1 through <= 3 layers of <= 3 units: far below 1e-12 in float64, 1e-5 in float32);
- results keep the network's dtype, whatever JAX's x64 flag (and the flag is left as it was).
A refusal must be exactly ValueError or TypeError, raised in our code, with none of NumPy's or JAX's wording
(FOREIGN); both backends refuse the same input with the same words.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import autodiff
import compare
import manual
from compare.oracle.sandbox import isolation as sandbox

ROOT = Path(__file__).resolve().parents[1]
OUR_DIRS = tuple(ROOT / d for d in ("manual", "autodiff", "compare"))
F64, F32 = np.dtype(np.float64), np.dtype(np.float32)
SIZES = ((2, 3, 2), (3, 1), (1, 1))       # few shapes: autodiff compiles once per shape and dtype
FORWARD_ATOL = {F64: 1e-12, F32: 1e-5}

# Text that would show NumPy's, JAX's or Python's own error leaking through instead of a message of ours.
FOREIGN = ["broadcast", "operands", "jax", "xla", "traceback", "object is not subscriptable", "has no attribute",
           "matmul", "tracer", "unsupported operand", "dot_general", "not iterable", "shapes (", "ufunc",
           "setting an array element", "inhomogeneous", "cannot cast", "not understood", "cannot interpret",
           "os.pathlike object, not", "null byte", "errno", "maximum allowed dimension", "bad file descriptor",
           "int too large", "object of type", "takes from", "positional argument", "unhashable", "is required, not"]


# ---- calling, and what a call may do -------------------------------------------------------------------

def assert_ours(e: BaseException) -> None:
    """``e`` is exactly ValueError or TypeError, raised in manual/, autodiff/ or compare/, in our words."""
    assert type(e) in (ValueError, TypeError), f"{type(e).__name__}: {e}"
    msg = str(e).lower()
    assert msg, f"{type(e).__name__} without a message"
    msg = re.sub(r"'[^']*'", "''", msg)   # the caller's own text, echoed in quotes ("got 'JAX'"), is not ours to judge
    for word in FOREIGN:
        assert word not in msg, f"foreign wording {word!r} in: {e}"
    where = Path(traceback.extract_tb(e.__traceback__)[-1].filename).resolve()
    assert any(d in where.parents for d in OUR_DIRS), f"raised in {where}: {e}"


@dataclass
class Outcome:
    ok: bool
    value: object = None
    error: BaseException | None = None


def outcome(fn, *args, **kwargs) -> Outcome:
    """Call with warnings as errors; an exception other than our ValueError/TypeError fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return Outcome(True, fn(*args, **kwargs))
        except (ValueError, TypeError) as e:
            assert_ours(e)
            return Outcome(False, error=e)


def snapshot(obj, depth=0):
    """Everything observable about the caller's objects: structure, types, dtypes, shapes, flags and bytes."""
    if depth > 6:
        return ("deep", id(obj))
    if isinstance(obj, np.ndarray):
        data = np.ascontiguousarray(obj)
        raw = data.tobytes() if data.dtype.kind != "O" else repr(data.tolist())
        return (type(obj).__name__, obj.dtype.str, obj.shape, obj.strides, obj.flags.writeable, raw,
                snapshot(getattr(obj, "mask", None), depth + 1))
    if isinstance(obj, jax.Array):
        return ("jax", str(obj.dtype), obj.shape, np.asarray(obj).tobytes())
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, len(obj), tuple(snapshot(o, depth + 1) for o in obj))
    if isinstance(obj, dict):
        return ("dict", tuple((k, snapshot(v, depth + 1)) for k, v in obj.items()))
    if isinstance(obj, (int, float, complex, str, bytes, bool, type(None), np.generic)):
        return (type(obj).__name__, repr(obj))
    return (type(obj).__name__, id(obj))


def call_checked(fn, args, kwargs=None):
    """``outcome`` plus: the inputs are unchanged, and the caller's JAX x64 flag too."""
    kwargs = kwargs or {}
    before = snapshot((args, kwargs))
    x64 = bool(jax.config.jax_enable_x64)
    out = outcome(fn, *args, **kwargs)
    assert snapshot((args, kwargs)) == before, "the call changed its inputs"
    assert bool(jax.config.jax_enable_x64) == x64, "the call changed JAX's x64 flag"
    return out


def close(got, want, dtype, what="") -> None:
    """Same structure, dtypes and values up to summation-order rounding (see the module docstring); the
    network's ``dtype`` picks the tolerance."""
    dtype = np.dtype(dtype)
    atol, rtol = (1e-14, 1e-12) if dtype == F64 else (2e-6, 1e-5)
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), what
        for g, w in zip(got, want):
            close(g, w, dtype, what)
    elif isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), what
        for g, w in zip(got, want):
            close(g, w, dtype, what)
    elif isinstance(want, (np.ndarray, np.generic)):
        assert type(got) is type(want), (what, type(got), type(want))
        assert got.dtype == want.dtype and got.shape == want.shape, (what, got.dtype, got.shape, want.shape)
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=what)
    else:
        assert got == pytest.approx(want, rel=rtol, abs=atol), what


# ---- the networks ----------------------------------------------------------------------------------------

def network(sizes=(2, 3, 2), dtype=F64, seed=0, m=3):
    """Fresh arrays: params with W, b ~ N(0, 1), a batch X (m, n_0) in [-1, 1], targets Y in [0, 1], labels."""
    rng = np.random.default_rng(seed)
    params = [(rng.normal(size=(n, k)).astype(dtype), rng.normal(size=n).astype(dtype))
              for k, n in zip(sizes[:-1], sizes[1:])]
    X = rng.uniform(-1, 1, (m, sizes[0])).astype(dtype)
    Y = rng.uniform(0, 1, (m, sizes[-1])).astype(dtype)
    labels = rng.integers(0, sizes[-1], m)
    return params, X, Y, labels


# ---- the kinds of bad and odd input --------------------------------------------------------------------

REFUSE = object()   # CANON value: the input must be refused


def _x64_for(a):
    return jax.enable_x64(True) if np.asarray(a).dtype == F64 else contextlib.nullcontext()


def _jax(a):
    with _x64_for(a):
        return jnp.asarray(a)


def _strided(a):
    big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],) if a.ndim else (2,), a.dtype)
    if a.ndim == 0:
        return a
    big[..., ::2] = a
    return big[..., ::2]


def _negative(a):
    return a[..., ::-1].copy()[..., ::-1] if a.ndim else a


def _read_only(a):
    a = a.copy()
    a.flags.writeable = False
    return a


def _ragged(a):
    rows = np.atleast_2d(a).tolist() or [[1.0]]
    return rows + [rows[0][:-1] or [1.0, 2.0]]


def _at(a, value, index):
    a = a.astype(a.dtype if a.dtype.kind in "fc" else F64)   # labels: a float array with a nan in it
    if a.size:
        a.flat[index % a.size] = value
    return a


def _matrix(a):
    if a.ndim > 2:
        return a
    with warnings.catch_warnings():   # NumPy discourages np.matrix (PendingDeprecationWarning): users still pass it
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.matrix(a)


def _tuples(v):
    return tuple(_tuples(e) for e in v) if isinstance(v, list) else v


def _longer(a):
    return np.concatenate([a, a[..., :1]], axis=-1) if a.ndim else a


def _int_like(a, dtype):
    return np.round(np.asarray(a, np.float64) * 3).clip(np.iinfo(dtype).min, np.iinfo(dtype).max).astype(dtype)


# name -> (make(a, index) -> the value passed, canon(a, value) -> the plain array it stands for, or REFUSE)
KINDS = {
    # containers and layouts that stand for the same numbers: accepted, converted, same result
    "list": (lambda a, i: a.tolist(), lambda a, v: np.asarray(v)),
    "tuple": (lambda a, i: _tuples(a.tolist()), lambda a, v: np.asarray(v)),
    "read-only": (lambda a, i: _read_only(a), lambda a, v: a.copy()),
    "strided-view": (lambda a, i: _strided(a), lambda a, v: a.copy()),
    "negative-strides": (lambda a, i: _negative(a), lambda a, v: a.copy()),
    "fortran-order": (lambda a, i: np.asfortranarray(a) if a.ndim >= 2 else a.copy(), lambda a, v: a.copy()),
    "zero-stride-broadcast": (lambda a, i: np.broadcast_to(a.flat[0], a.shape) if a.size else a,
                              lambda a, v: np.array(v)),
    "big-endian": (lambda a, i: a.astype(a.dtype.newbyteorder(">")), lambda a, v: a.copy()),
    "jax-array": (lambda a, i: _jax(a), lambda a, v: a.copy()),
    "np.matrix": (lambda a, i: _matrix(a), lambda a, v: np.asarray(v)),
    # other number types: integer data is taken exactly (for x, y), every other type is refused
    "int64": (lambda a, i: _int_like(a, np.int64), None),
    "int8": (lambda a, i: _int_like(a, np.int8), None),
    "uint8": (lambda a, i: _int_like(np.abs(a), np.uint8), None),
    "bool": (lambda a, i: a > 0, None),
    "float16": (lambda a, i: a.astype(np.float16), None),
    "other-float": (lambda a, i: a.astype(F32 if a.dtype == F64 else F64), None),
    "longdouble": (lambda a, i: a.astype(np.longdouble), None),
    "complex128": (lambda a, i: a.astype(np.complex128), None),
    "complex64": (lambda a, i: a.astype(np.complex64), None),
    "object-array": (lambda a, i: a.astype(object), None),
    "string-array": (lambda a, i: a.astype(str), None),
    "bytes-array": (lambda a, i: a.astype(bytes), None),
    "datetime64": (lambda a, i: np.zeros(a.shape, "datetime64[s]"), None),
    "timedelta64": (lambda a, i: np.zeros(a.shape, "timedelta64[s]"), None),
    "structured": (lambda a, i: np.zeros(a.shape, [("v", "f8")]), None),
    # not an array of numbers at all
    "masked-array": (lambda a, i: np.ma.masked_array(a, mask=np.ones(a.shape, bool)), lambda a, v: REFUSE),
    "None": (lambda a, i: None, lambda a, v: REFUSE),
    "str": (lambda a, i: "1.0 2.0", lambda a, v: REFUSE),
    "bytes": (lambda a, i: b"\x00\x01", lambda a, v: REFUSE),
    "dict": (lambda a, i: {"W": a}, lambda a, v: REFUSE),
    "set": (lambda a, i: {1.0, 2.0}, lambda a, v: REFUSE),
    "generator": (lambda a, i: (v for v in np.atleast_1d(a)), lambda a, v: REFUSE),
    "function": (lambda a, i: (lambda: a), lambda a, v: REFUSE),
    "ragged-list": (lambda a, i: _ragged(a), lambda a, v: REFUSE),
    "list-with-None": (lambda a, i: [None] + np.atleast_1d(a).tolist()[1:], lambda a, v: REFUSE),
    "list-with-str": (lambda a, i: ["0.5"] + np.atleast_1d(a).tolist()[1:], lambda a, v: REFUSE),
    "nested-junk": (lambda a, i: [a, "x", None], lambda a, v: REFUSE),
    "huge-python-int": (lambda a, i: [2**70] * max(a.size, 1), lambda a, v: REFUSE),
    # values
    "nan": (lambda a, i: _at(a, np.nan, i), lambda a, v: REFUSE if a.size else np.array(v)),
    "inf": (lambda a, i: _at(a, np.inf, i), lambda a, v: REFUSE if a.size else np.array(v)),
    "-inf": (lambda a, i: _at(a, -np.inf, i), lambda a, v: REFUSE if a.size else np.array(v)),
    # shapes
    "axis-in-front": (lambda a, i: a[None], None),
    "axis-at-end": (lambda a, i: a[..., None], None),
    "axis-dropped": (lambda a, i: a.ravel() if a.ndim > 1 else np.asarray(a[0] if a.size else 0.5, a.dtype), None),
    "0-d": (lambda a, i: np.asarray(a.flat[0] if a.size else 0.5, a.dtype), None),
    "python-float": (lambda a, i: 0.5, lambda a, v: np.asarray(v)),
    "no-rows": (lambda a, i: a[:0], None),
    "no-columns": (lambda a, i: a[..., :0], None),
    "one-longer": (lambda a, i: _longer(a), None),
    "one-shorter": (lambda a, i: a[..., :-1], None),
    "transposed": (lambda a, i: a.T, None),
}
NO_CANON = {k for k, (_, canon) in KINDS.items() if canon is None}   # the value is already the plain array


def canon_of(kind, a, value, slot, dtype):
    """The plain array ``value`` stands for (REFUSE: it must be refused). x, y and X, Y are data: integer and
    bool arrays stand for the same numbers in the network's dtype (the documented conversion)."""
    canon = np.array(value) if kind in NO_CANON else KINDS[kind][1](a, value)
    if canon is REFUSE:
        return REFUSE
    if slot in ("x", "y") and canon.dtype.kind in "iub":
        canon = canon.astype(dtype)
    return canon


AXIS_KINDS = {"axis-dropped", "no-rows", "no-columns", "one-shorter"}


def apply(kind, a, index=0):
    """``kind`` applied to the array ``a`` (a 0-d array first becomes 1-D for the kinds that cut an axis)."""
    if a.ndim == 0 and kind in AXIS_KINDS:
        a = a.reshape(1)
    return KINDS[kind][0](a, index)


# What replaces the parameter list as a whole: name -> make(params) (None: the canonical list is refused).
PARAMS_KINDS = {
    "tuple-of-pairs": lambda p: tuple(p),
    "pairs-as-lists": lambda p: [list(pair) for pair in p],
    "all-jax-arrays": lambda p: [(_jax(W), _jax(b)) for W, b in p],
    "empty-list": lambda p: [],
    "empty-tuple": lambda p: (),
    "None": lambda p: None,
    "dict": lambda p: {f"W{l}": W for l, (W, _) in enumerate(p, 1)},
    "bare-array": lambda p: p[0][0],
    "string": lambda p: "W1 b1",
    "generator": lambda p: (pair for pair in p),
    "one-bare-pair": lambda p: p[0],
    "pair-of-3": lambda p: [(p[0][0], p[0][1], p[0][1])] + p[1:],
    "pair-of-1": lambda p: [(p[0][0],)] + p[1:],
    "pair-is-None": lambda p: [None] + p[1:],
    "pair-is-array": lambda p: [p[0][0]] + p[1:],
    "pair-is-string": lambda p: ["Wb"] + p[1:],
    "pair-is-dict": lambda p: [{"W": p[0][0], "b": p[0][1]}] + p[1:],
    "nested-list": lambda p: [p],
    "layers-reversed": lambda p: p[::-1],
    "last-layer-dropped": lambda p: p[:-1] or p,
    "last-layer-twice": lambda p: p + [p[-1]],
    "W-and-b-swapped": lambda p: [(p[0][1], p[0][0])] + p[1:],
    "junk-layer-appended": lambda p: p + [None],
    "one-layer-other-float": lambda p: p[:-1] + [tuple(a.astype(F32 if a.dtype == F64 else F64) for a in p[-1])],
    "zero-width-layer": lambda p: [(np.zeros((0, p[0][0].shape[1]), p[0][0].dtype), np.zeros(0, p[0][0].dtype))]
    + p[1:],
}


def params_canon(kind, p, value):
    """The plain list of plain pairs ``value`` stands for, or the value itself (the function decides)."""
    if kind in ("tuple-of-pairs", "pairs-as-lists"):
        return [tuple(pair) for pair in value]
    if kind == "all-jax-arrays":
        return [(W.copy(), b.copy()) for W, b in p]
    return value


# ---- the functions -------------------------------------------------------------------------------------

NET_FUNCS = {   # name: (function, takes y, batch allowed)
    "manual.forward": (manual.forward, False, True),
    "manual.cost": (manual.cost, True, True),
    "manual.grad": (manual.grad, True, True),
    "manual.backprop": (manual.backprop, True, False),
    "autodiff.forward": (autodiff.forward, False, True),
    "autodiff.cost": (autodiff.cost, True, True),
    "autodiff.grad": (autodiff.grad, True, True),
    "compare.reference": (compare.reference, True, True),
}
TWIN = {"manual.forward": autodiff.forward, "manual.cost": autodiff.cost, "manual.grad": autodiff.grad,
        "manual.backprop": autodiff.grad, "autodiff.forward": manual.forward, "autodiff.cost": manual.cost,
        "autodiff.grad": manual.grad}
SAME_WORDS = {"manual.forward": "autodiff.forward", "manual.cost": "autodiff.cost", "manual.grad": "autodiff.grad"}


def net_call(name, params, x, y):
    fn, takes_y, _ = NET_FUNCS[name]
    return (fn, (params, x, y) if takes_y else (params, x))


def trusted_check(name, params, x, y, result, dtype) -> None:
    """An accepted call's result against the other backend on the same (plain) inputs."""
    x = np.asarray(x)
    single = x.ndim == 1
    if name == "compare.reference":
        grads, tols = result
        g = autodiff.grad(params, x, y)
        for (rW, rb), (tW, tb), (gW, gb) in zip(grads, tols, g):
            assert np.all(np.abs(rW - gW) <= tW) and np.all(np.abs(rb - gb) <= tb)
        return
    twin = TWIN[name]
    other = twin(params, x, y) if NET_FUNCS[name][1] else twin(params, x)
    if name.endswith(("grad", "backprop")):
        assert [(gW.shape, gb.shape) for gW, gb in result] == [(W.shape, b.shape) for W, b in params]
        assert all(g.dtype == dtype for pair in result for g in pair)
        _, tols = compare.reference(params, x, y)
        for (gW, gb), (oW, ob), (tW, tb) in zip(result, other, tols):
            assert np.all(np.abs(gW.astype(F64) - oW) <= tW), (name, gW, oW, tW)
            assert np.all(np.abs(gb.astype(F64) - ob) <= tb), (name, gb, ob, tb)
    elif name.endswith("forward"):
        assert type(result) is np.ndarray and result.dtype == dtype
        assert result.shape == ((params[-1][0].shape[0],) if single else (x.shape[0], params[-1][0].shape[0]))
        assert np.all((result >= 0) & (result <= 1))
        np.testing.assert_allclose(result, other, rtol=0, atol=FORWARD_ATOL[dtype])
    else:
        assert type(result) is dtype.type and result >= 0
        assert abs(float(result) - float(other)) <= FORWARD_ATOL[dtype]


def plain_params(params):
    """The parameters as plain native ndarrays, when they are a list/tuple of pairs of array-likes."""
    return [(np.array(W), np.array(b)) for W, b in params]


def check_net_call(name, params, x, y, *, canon=None, dtype=F64, must_refuse=False, record=None):
    """The whole property for one call of a network function: see the module docstring. ``canon`` is
    ``(params, x, y)`` as plain arrays that the call must treat exactly like its own inputs (None: the inputs
    are plain already)."""
    fn, args = net_call(name, params, x, y)
    got = call_checked(fn, args)
    if record is not None:
        record.append(got)
    if must_refuse:
        assert not got.ok, f"{name} accepted an input it must refuse"
        return got
    if canon is not None:
        cfn, cargs = net_call(name, *canon)
        want = call_checked(cfn, cargs)
        assert got.ok == want.ok, (name, got.error, want.error)
        if not got.ok:
            assert type(got.error) is type(want.error), (got.error, want.error)
            return got
        close(got.value, want.value, dtype, name)
        params, x, y = canon
    if got.ok and name != "compare.reference" or got.ok and canon is None:
        trusted_check(name, plain_params(params), np.asarray(x), np.asarray(y) if y is not None else None,
                      got.value, dtype)
    if not got.ok and name in SAME_WORDS:   # both backends refuse the same input with the same words
        twin = call_checked(*net_call(SAME_WORDS[name], params, x, y))
        assert not twin.ok and str(twin.error) == str(got.error), (got.error, twin.error)
    return got


# ---- one trial: a network, a slot, a kind ------------------------------------------------------------------

SLOTS = ("W", "b", "x", "y")


def net_trial(name, slot, kind, *, sizes=(2, 3, 2), dtype=F64, batch=False, layer=0, index=0, seed=0):
    """Replace one piece of a valid call by ``kind`` and check the property; return the Outcome."""
    params, X, Y, _ = network(sizes, dtype, seed)
    x, y = (X, Y) if batch else (X[0].copy(), Y[0].copy())
    if not NET_FUNCS[name][1]:
        y = None
    layer = layer % len(params)
    if slot == "params":
        value = PARAMS_KINDS[kind](params)
        canon_p = params_canon(kind, params, value)
        return check_net_call(name, value, x, y, canon=(canon_p, x, y) if canon_p is not value else None,
                              dtype=dtype)
    target = {"W": params[layer][0], "b": params[layer][1], "x": x, "y": y}[slot]
    if target is None:
        return None
    value = apply(kind, target, index)
    canon = canon_of(kind, target, value, slot, dtype)
    new = [list(pair) for pair in params]
    cnew = [list(pair) for pair in params]
    args, cargs = {"x": x, "y": y}, {"x": x, "y": y}
    if slot in ("W", "b"):
        new[layer]["Wb".index(slot)] = value
        if canon is not REFUSE:
            cnew[layer]["Wb".index(slot)] = canon
    else:
        args[slot] = value
        if canon is not REFUSE:
            cargs[slot] = canon
    new = [tuple(p) for p in new]
    cnew = [tuple(p) for p in cnew]
    if canon is REFUSE:
        return check_net_call(name, new, args["x"], args["y"], dtype=dtype, must_refuse=True)
    return check_net_call(name, new, args["x"], args["y"], canon=(cnew, cargs["x"], cargs["y"]), dtype=dtype)


# ---- the other functions ---------------------------------------------------------------------------------

def data_trial(name, slot, kind, *, sizes=(2, 3, 2), dtype=F64, index=0, seed=0, kwargs=None):
    """train / accuracy with X, Y or labels replaced by ``kind``: same property, the trusted path being the
    call on the plain arrays, and the other backend."""
    params, X, Y, labels = network(sizes, dtype, seed)
    target = {"X": X, "Y": Y, "labels": labels}[slot]
    value = apply(kind, target, index)
    canon = canon_of(kind, target, value, "x" if slot in ("X", "Y") else "labels", dtype)
    kwargs = dict(eta=0.5, epochs=2, batch_size=2, seed=1) if kwargs is None else kwargs
    backend = manual if name.startswith("manual") else autodiff
    other = autodiff if backend is manual else manual
    fn = backend.train if name.endswith("train") else backend.accuracy

    def args_with(v):
        if name.endswith("train"):
            return (params, v if slot == "X" else X, v if slot == "Y" else Y)
        return (params, v if slot == "X" else X, v if slot == "labels" else labels)

    got = call_checked(fn, args_with(value), kwargs if name.endswith("train") else None)
    if canon is REFUSE:
        assert not got.ok, f"{name} accepted {kind} as {slot}"
        return got
    want = call_checked(fn, args_with(canon), kwargs if name.endswith("train") else None)
    assert got.ok == want.ok, (got.error, want.error)
    if got.ok:
        close(got.value, want.value, dtype, name)
        twin = call_checked(getattr(other, fn.__name__), args_with(canon), kwargs if name.endswith("train") else None)
        assert twin.ok
        if name.endswith("train"):
            for (W, b), (oW, ob) in zip(got.value, twin.value):
                assert W.dtype == b.dtype == dtype
                np.testing.assert_allclose(W, oW, atol=FORWARD_ATOL[dtype] * 100)
                np.testing.assert_allclose(b, ob, atol=FORWARD_ATOL[dtype] * 100)
        else:
            assert isinstance(got.value, float) and 0 <= got.value <= 1 and got.value == twin.value
    else:
        assert type(got.error) is type(want.error)
        twin = call_checked(getattr(other, fn.__name__), args_with(value), kwargs if name.endswith("train") else None)
        assert not twin.ok and str(twin.error) == str(got.error), (got.error, twin.error)
    return got


# train's keyword arguments: name -> [(kind, value, canonical value or REFUSE or None: no canonical)]
TRAIN_ARGS = {
    "eta": [("zero", 0, REFUSE), ("negative", -0.5, REFUSE), ("nan", math.nan, REFUSE), ("inf", math.inf, REFUSE),
            ("str", "0.5", REFUSE), ("None", None, REFUSE), ("bool", True, REFUSE), ("complex", 0.5j, REFUSE),
            ("list", [0.5], REFUSE), ("array-1", np.array([0.5]), REFUSE), ("huge-int", 10**400, REFUSE),
            ("np.float32", np.float32(0.5), 0.5), ("np.float16", np.float16(0.5), 0.5), ("int", 1, 1.0),
            ("np.int64", np.int64(1), 1.0), ("tiny", 1e-300, None), ("huge", 1e300, None)],
    "epochs": [("negative", -1, REFUSE), ("float", 1.0, REFUSE), ("bool", True, REFUSE), ("str", "2", REFUSE),
               ("None", None, REFUSE), ("np.int8", np.int8(2), 2), ("np.uint64", np.uint64(1), 1), ("zero", 0, None)],
    "batch_size": [("zero", 0, REFUSE), ("negative", -2, REFUSE), ("float", 1.5, REFUSE), ("bool", True, REFUSE),
                   ("str", "3", REFUSE), ("huge", 10**9, None), ("np.int16", np.int16(2), 2), ("one", 1, None)],
    "seed": [("negative", -1, REFUSE), ("float", 1.5, REFUSE), ("str", "x", REFUSE), ("bool", True, REFUSE),
             ("generator", "GENERATOR", REFUSE), ("huge", 2**70, None), ("np.uint32", np.uint32(3), 3),
             ("None", None, None)],
    "callback": [("str", "f", REFUSE), ("int", 5, REFUSE), ("keeps-and-scribbles", "SCRIBBLE", None)],
}


def train_arg_trial(name, arg, kind, *, dtype=F64):
    params, X, Y, _ = network((2, 3, 2), dtype)
    kw = dict(eta=0.5, epochs=2, batch_size=2, seed=1)
    value, canon = next((v, c) for k, v, c in TRAIN_ARGS[arg] if k == kind)
    if value == "GENERATOR":
        value = np.random.default_rng(0)
    if value == "SCRIBBLE":
        def value(epoch, p):   # a callback that writes into what it is given: training must not notice
            for W, b in p:
                W += 1e6
                b[:] = np.nan
        canon = None
    fn = (manual if name.startswith("manual") else autodiff).train
    got = call_checked(fn, (params, X, Y), {**kw, arg: value})
    twin = call_checked((autodiff if fn is manual.train else manual).train, (params, X, Y), {**kw, arg: value})
    assert got.ok == twin.ok and (got.ok or str(got.error) == str(twin.error)), (got.error, twin.error)
    if canon is REFUSE:
        assert not got.ok, f"train accepted {arg}={value!r}"
        return got
    random_order = arg == "seed" and value is None   # each call draws its own order: nothing to compare with
    if got.ok:
        for (W, b), (oW, ob), (W0, b0) in zip(got.value, twin.value, params):
            assert W.dtype == b.dtype == dtype and W.shape == W0.shape and b.shape == b0.shape
            assert np.isfinite(W).all() and np.isfinite(b).all()
            if not random_order:
                np.testing.assert_allclose(W, oW, atol=FORWARD_ATOL[dtype] * 100)
                np.testing.assert_allclose(b, ob, atol=FORWARD_ATOL[dtype] * 100)
        if random_order:
            return got
        plain = call_checked(fn, (params, X, Y), {**kw, arg: canon} if canon is not None
                             else {**kw, arg: None} if arg == "callback" else {**kw, arg: value})
        close(got.value, plain.value, dtype, f"train {arg}={kind}")
    return got


SIGMOID_EXTRA = {"python-int": 3, "python-list-of-ints": [1, -2, 3], "complex-scalar": 1j, "empty-list": [],
                 "nan-scalar": math.nan, "inf-list": [math.inf, -math.inf]}


def sigmoid_trial(kind, *, dtype=F64, index=0, shape=(2, 3)):
    a = np.asarray(np.random.default_rng(index).normal(size=shape).astype(dtype) * 5)
    value = SIGMOID_EXTRA[kind] if kind in SIGMOID_EXTRA else apply(kind, a, index)
    got = call_checked(manual.sigmoid, (value,))
    if got.ok:
        z = np.asarray(value)
        if z.dtype.kind != "f":
            assert got.value.dtype == F64
            z = z.astype(F64)
        else:
            assert got.value.dtype == z.dtype.newbyteorder("=")
        assert type(got.value) is np.ndarray and got.value.shape == z.shape
        with np.errstate(over="ignore"):
            want = (1 / (1 + np.exp(-z.astype(np.longdouble))))
        finite = np.isfinite(z)
        assert np.all(np.abs(got.value[finite] - want[finite]) <= 4 * np.finfo(got.value.dtype).eps)
        assert np.array_equal(np.isnan(got.value), np.isnan(z))   # sigma(nan) = nan, sigma(+-inf) = 1, 0
    else:
        z = np.asarray(value) if not isinstance(value, (str, bytes, type(None), dict, set, np.ma.MaskedArray)) and \
            kind not in ("ragged-list", "nested-junk", "generator", "function", "list-with-None", "list-with-str",
                         "huge-python-int") else None
        assert z is None or z.dtype.kind not in "fiub", f"sigmoid refused real numbers: {kind}: {got.error}"
    return got


ONE_HOT_ARGS = {   # n and dtype; labels go through KINDS
    "n": [("zero", 0), ("negative", -3), ("float", 3.0), ("bool", True), ("str", "3"), ("None", None),
          ("huge", 2**70), ("np.int64", np.int64(3)), ("too-small", 1)],
    "dtype": [("None", None), ("int", np.int64), ("float16", np.float16), ("str-junk", "foo"), ("number", 5),
              ("object", object), ("complex", complex), ("float32", np.float32), ("'float64'", "float64"),
              ("big-endian", ">f8")],
}


def one_hot_trial(slot, kind, *, index=0):
    labels = np.array([0, 2, 1])
    n, dtype = 3, np.float64
    if slot == "labels":
        value = apply(kind, labels, index) if kind in KINDS else kind
        args, kw = (value, n), {}
    else:
        value = dict(ONE_HOT_ARGS[slot])[kind]
        args, kw = (labels, value if slot == "n" else n), ({"dtype": value} if slot == "dtype" else {})
    got = call_checked(manual.one_hot, args, kw)
    if got.ok:
        lab, n_, dt = np.asarray(args[0]).astype(np.int64), int(args[1]), np.dtype(kw.get("dtype", dtype))
        assert lab.ndim == 1 and got.value.dtype == dt and got.value.shape == (lab.shape[0], n_)
        assert np.array_equal(got.value, np.eye(n_, dtype=dt)[lab])
    return got


INIT_ARGS = {
    "sizes": [("empty", []), ("one", [3]), ("zero", [2, 0]), ("negative", [2, -1]), ("float", [2, 3.0]),
              ("bool", [2, True]), ("str", [2, "3"]), ("None", None), ("int", 3), ("string", "23"),
              ("2-D", np.array([[2, 3]])), ("huge", [2, 2**70]), ("too-big", [10**6, 10**6]),
              ("tuple", (2, 3)), ("np-array", np.array([2, 3])), ("np-uint64", np.array([2, 3], np.uint64)),
              ("generator", (n for n in (2, 3))), ("dict", {2: 3})],
    "seed": [("negative", -1), ("float", 1.5), ("str", "x"), ("bool", True), ("list", [1, 2]), ("huge", 2**70),
             ("np.int64", np.int64(4)), ("generator", "GENERATOR"), ("None", None)],
    "dtype": ONE_HOT_ARGS["dtype"],
}


def init_trial(slot, kind):
    value = dict(INIT_ARGS[slot])[kind]
    if isinstance(value, str) and value == "GENERATOR":
        value = np.random.default_rng(0)
    args, kw = ((value,), {}) if slot == "sizes" else (([2, 3],), {slot: value})
    got = call_checked(manual.init_params, args, kw)
    if got.ok:
        sizes = [int(s) for s in args[0]]
        dt = np.dtype(kw.get("dtype", np.float64))
        assert [(W.shape, b.shape) for W, b in got.value] == [((n, k), (n,)) for k, n in zip(sizes, sizes[1:])]
        assert all(a.dtype == dt and np.isfinite(a).all() for pair in got.value for a in pair)
    return got


def check_params_trial(slot, kind, *, dtype=F64, index=0, layer=0):
    params, *_ = network((2, 3, 2), dtype)
    layer %= len(params)
    if slot == "params":
        value = PARAMS_KINDS[kind](params)
        canon = params_canon(kind, params, value)
    else:
        target = params[layer][0 if slot == "W" else 1]
        v = apply(kind, target, index)
        c = canon_of(kind, target, v, slot, dtype)
        value = [tuple(v if (l, j) == (layer, "Wb".index(slot)) else a for j, a in enumerate(pair))
                 for l, pair in enumerate(params)]
        canon = REFUSE if c is REFUSE else [tuple(c if (l, j) == (layer, "Wb".index(slot)) else a
                                                  for j, a in enumerate(pair)) for l, pair in enumerate(params)]
    got = call_checked(manual.check_params, (value,))
    if canon is REFUSE:
        assert not got.ok
    elif got.ok:
        checked, dt = got.value
        assert isinstance(checked, list) and all(type(a) is np.ndarray for pair in checked for a in pair)
        assert all(a.dtype == dt and a.dtype.isnative for pair in checked for a in pair)
        want = call_checked(manual.check_params, (canon,))
        assert want.ok
        for (W, b), (cW, cb) in zip(checked, want.value[0]):
            assert np.array_equal(W, cW) and np.array_equal(b, cb)
        for pair, orig in zip(checked, value):   # a plain valid ndarray is returned as is: never copied
            for a, o in zip(pair, orig):
                if type(o) is np.ndarray and o.dtype.isnative:
                    assert a is o
    return got


PATH_KINDS = {   # save_params / load_params paths: name -> make(tmpdir) -> path
    "int-fd": lambda d: 1, "bool": lambda d: True, "None": lambda d: None, "float": lambda d: 1.5,
    "list": lambda d: [str(d / "p.npz")], "bytes-path": lambda d: os.fsencode(d / "p.npz"),
    "pathlib": lambda d: d / "p.npz", "str": lambda d: str(d / "p.npz"), "directory": lambda d: d,
    "no-such-folder": lambda d: d / "nope" / "p.npz", "nul-in-name": lambda d: str(d / "p\0.npz"),
    "empty-string": lambda d: "", "bad-fspath": lambda d: _BadPath(),
}


class _BadPath(os.PathLike):
    def __fspath__(self):
        return 42


def save_load_trial(kind, *, dtype=F64, params_kind=None):
    params, *_ = network((2, 3, 2), dtype)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        path = PATH_KINDS[kind](d)
        value = PARAMS_KINDS[params_kind](params) if params_kind else params
        saved = call_checked(manual.save_params, (path, value))
        if kind == "int-fd":
            assert not saved.ok, "save_params wrote to a file descriptor"
        loaded = call_checked(manual.load_params, (path,))
        if saved.ok:
            assert loaded.ok, loaded.error
            plain = manual.check_params(value)[0]
            assert all(np.array_equal(a, c) and a.dtype == c.dtype for pa, pc in zip(loaded.value, plain)
                       for a, c in zip(pa, pc))
        return saved, loaded


def corrupt_file_trial(data: bytes) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.npz"
        path.write_bytes(data)
        return call_checked(manual.load_params, (path,))


# ---- the oracle's library API with broken candidates -------------------------------------------------------

def _flood(params, x, y):
    print("x" * 100_000)
    sys.stderr.write("y" * 1000)
    return manual.grad(params, x, y)


class _Unreadable:
    def __iter__(self):
        raise RuntimeError("no iterating me")


class _BadArray:
    def __array__(self, *a, **k):
        raise RuntimeError("no array")


def _mutating(params, x, y):
    params[0][0][...] += 1.0
    return manual.grad(params, x, y)


def _seterr(params, x, y):
    np.seterr(all="raise")
    return manual.grad(params, x, y)


def _slow(params, x, y):
    import time
    time.sleep(5)


def _swallowing(params, x, y):   # catches the time limit's exception once: still a timeout
    import time
    try:
        time.sleep(5)
    except BaseException:
        pass
    return manual.grad(params, x, y)


CANDIDATES = {   # name -> (grad, correct?)
    "right": (manual.grad, True),
    "right-jax-arrays": (lambda p, x, y: [(jnp.asarray(a), jnp.asarray(b)) for a, b in manual.grad(p, x, y)]
                         if np.asarray(x).dtype == F32 else manual.grad(p, x, y), True),
    "right-tuples": (lambda p, x, y: tuple(tuple(pair) for pair in manual.grad(p, x, y)), True),
    "right-generator": (lambda p, x, y: (pair for pair in manual.grad(p, x, y)), True),
    "right-but-prints": (_flood, True),
    "returns-None": (lambda p, x, y: None, False),
    "returns-int": (lambda p, x, y: 7, False),
    "returns-string": (lambda p, x, y: "grads", False),
    "returns-dict": (lambda p, x, y: {"W": 1}, False),
    "too-few-layers": (lambda p, x, y: manual.grad(p, x, y)[1:], False),
    "too-many-layers": (lambda p, x, y: manual.grad(p, x, y) * 2, False),
    "pairs-of-3": (lambda p, x, y: [(a, b, b) for a, b in manual.grad(p, x, y)], False),
    "transposed-W": (lambda p, x, y: [(a.T.copy() + (a.shape[0] == a.shape[1]), b)   # square: wrong values too
                                      for a, b in manual.grad(p, x, y)], False),
    "column-b": (lambda p, x, y: [(a, b[:, None]) for a, b in manual.grad(p, x, y)], False),
    "wrong-dtype": (lambda p, x, y: [(a.astype(np.float16), b) for a, b in manual.grad(p, x, y)], False),
    "complex": (lambda p, x, y: [(a + 0j, b) for a, b in manual.grad(p, x, y)], False),
    "object-arrays": (lambda p, x, y: [(a.astype(object), b) for a, b in manual.grad(p, x, y)], False),
    "nan": (lambda p, x, y: [(a * np.nan, b) for a, b in manual.grad(p, x, y)], False),
    "twice": (lambda p, x, y: [(2 * a, 2 * b) for a, b in manual.grad(p, x, y)], False),
    "raises-ValueError": (lambda p, x, y: (_ for _ in ()).throw(ValueError("mine")), False),
    "raises-ZeroDivision": (lambda p, x, y: 1 / 0, False),
    "raises-no-message": (lambda p, x, y: (_ for _ in ()).throw(RuntimeError()), False),
    "sys-exit-0": (lambda p, x, y: sys.exit(0), False),
    "sys-exit-str": (lambda p, x, y: sys.exit("bye"), False),
    "unreadable-result": (lambda p, x, y: _Unreadable(), False),
    "array-raises": (lambda p, x, y: [(_BadArray(), _BadArray()) for _ in p], False),
    "mutates-input": (_mutating, False),
    "sets-np-seterr": (_seterr, False),
    "hangs": (_slow, False),
    "swallows-timeout": (_swallowing, False),
}


def oracle_trial(kind, n_cases=3, seed=0, shrink=False, capsys=None):
    """check_grad and assert_grad_matches on ``kind``: a Report, never an exception; ok exactly for a right
    candidate; nothing printed; NumPy's error state and the time limit as they were."""
    grad, right = CANDIDATES[kind]
    cases = compare.draw_cases(n_cases, seed)
    err, limit = np.geterr(), sandbox.CALL_TIME_LIMIT
    sandbox.reset()
    # A short limit only where the candidate hangs: a right candidate's first call can wait longer than 0.2 s
    # on a loaded machine (JAX compiles the engine's next chunk meanwhile), and would then fail as a timeout.
    sandbox.CALL_TIME_LIMIT = 0.2 if kind in ("hangs", "swallows-timeout") else limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            report = compare.check_grad(grad, cases, shrink_failure=shrink)
            assert isinstance(report, compare.Report) and report.cases == len(cases)
            assert report.ok == right, (kind, report.first)
            if not right:
                assert report.first.kind in {"raised", "not a gradient", "layers", "shape", "dtype", "nonfinite",
                                             "mutation", "value"}
            try:
                compare.assert_grad_matches(grad, cases[:1], shrink_failure=False)
                asserted = True
            except AssertionError as e:
                asserted = False
                assert "FAIL" in str(e)
            assert asserted == right
    finally:
        sandbox.CALL_TIME_LIMIT = limit
    assert np.geterr() == err
    return report


SPEC = "sizes=3-1-2 batch=4 scale=1.5 dtype=float64 seed=7"


def parse_trial(spec):
    got = call_checked(compare.parse_case, (spec,))
    if got.ok:
        case = got.value
        assert isinstance(case, compare.Case) and compare.parse_case(case.spec()) == case
        assert 2 <= len(case.sizes) and case.dtype in ("float64", "float32") and 0 < case.scale < 1e3
        params, x, y = compare.materialise(case)
        assert len(params) == case.depth
    return got


# ---- the deterministic sweep: every kind once per function -------------------------------------------------

def sweep(record=None):
    """Try every applicable (slot, kind) on every public function; return {function: {(slot, kind): result}}
    where result is 'accepted' or the exception type's name (the property is checked along the way)."""
    table: dict[str, dict[tuple[str, str], str]] = {}

    def note(fn_name, slot, kind, got):
        if got is None:
            return
        res = "accepted" if got.ok else type(got.error).__name__
        table.setdefault(fn_name, {})[(slot, kind)] = res
        if record is not None:
            record.append((fn_name, slot, kind, res, "" if got.ok else str(got.error)))

    for i, name in enumerate(NET_FUNCS):
        for j, kind in enumerate(PARAMS_KINDS):
            note(name, "params", kind, net_trial(name, "params", kind, dtype=(F64, F32)[j % 2], batch=j % 3 == 0))
        for j, kind in enumerate(KINDS):
            for slot in SLOTS:
                if slot == "y" and not NET_FUNCS[name][1]:
                    continue
                dtype = (F64, F32)[(i + j) % 2]
                batch = NET_FUNCS[name][2] and (j + len(slot)) % 2 == 0
                note(name, slot, kind, net_trial(name, slot, kind, dtype=dtype, batch=batch, layer=j, index=j))
    for name in ("manual.train", "autodiff.train", "manual.accuracy", "autodiff.accuracy"):
        for j, kind in enumerate(KINDS):
            for slot in (("X", "Y") if name.endswith("train") else ("X", "labels")):
                note(name, slot, kind, data_trial(name, slot, kind, dtype=(F64, F32)[j % 2], index=j))
        for j, kind in enumerate(PARAMS_KINDS):
            fn = getattr(manual if name.startswith("manual") else autodiff, name.split(".")[1])
            params, X, Y, labels = network((2, 3, 2), (F64, F32)[j % 2])
            value = PARAMS_KINDS[kind](params)
            args = (value, X, Y) if name.endswith("train") else (value, X, labels)
            got = call_checked(fn, args, dict(eta=0.5, epochs=1) if name.endswith("train") else None)
            note(name, "params", kind, got)
    for name in ("manual.train", "autodiff.train"):
        for arg, kinds in TRAIN_ARGS.items():
            for kind, _, _ in kinds:
                note(name, arg, kind, train_arg_trial(name, arg, kind))
    for j, kind in enumerate(list(KINDS) + list(SIGMOID_EXTRA)):
        note("manual.sigmoid", "z", kind, sigmoid_trial(kind, dtype=(F64, F32)[j % 2], index=j))
    for j, kind in enumerate(KINDS):
        note("manual.one_hot", "labels", kind, one_hot_trial("labels", kind, index=j))
    for slot in ("n", "dtype"):
        for kind, _ in ONE_HOT_ARGS[slot]:
            note("manual.one_hot", slot, kind, one_hot_trial(slot, kind))
    for slot, kinds in INIT_ARGS.items():
        for kind, _ in kinds:
            note("manual.init_params", slot, kind, init_trial(slot, kind))
    for j, kind in enumerate(PARAMS_KINDS):
        note("manual.check_params", "params", kind, check_params_trial("params", kind, dtype=(F64, F32)[j % 2]))
    for j, kind in enumerate(KINDS):
        for slot in ("W", "b"):
            note("manual.check_params", slot, kind, check_params_trial(slot, kind, dtype=(F64, F32)[j % 2],
                                                                        index=j, layer=j))
    for kind in PATH_KINDS:
        saved, loaded = save_load_trial(kind)
        note("manual.save_params", "path", kind, saved)
        note("manual.load_params", "path", kind, loaded)
    for j, kind in enumerate(PARAMS_KINDS):
        saved, _ = save_load_trial("str", dtype=(F64, F32)[j % 2], params_kind=kind)
        note("manual.save_params", "params", kind, saved)
    for kind, data in FILE_KINDS.items():
        note("manual.load_params", "file", kind, corrupt_file_trial(data()))
    for kind, spec in SPEC_KINDS.items():
        note("compare.parse_case", "spec", kind, parse_trial(spec))
    return table


def _valid_npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _saved_bytes(dtype=F64) -> bytes:
    params, *_ = network((2, 3, 2), dtype)
    with tempfile.TemporaryDirectory() as tmp:
        manual.save_params(Path(tmp) / "p.npz", params)
        return (Path(tmp) / "p.npz").read_bytes()


def _pickled_npz() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, W1=np.array([object()], dtype=object), b1=np.zeros(1), sizes=np.array([1, 1]))
    return buf.getvalue()


FILE_KINDS = {
    "empty": lambda: b"",
    "text": lambda: b"W1 = [[1, 2]]\n",
    "pickle": lambda: __import__("pickle").dumps([(np.ones((1, 1)), np.ones(1))]),
    "npy": lambda: (lambda b: (np.save(b, np.ones(3)), b.getvalue())[1])(io.BytesIO()),
    "truncated-half": lambda: _saved_bytes()[: len(_saved_bytes()) // 2],
    "truncated-end": lambda: _saved_bytes()[:-1],
    "zip-of-text": lambda: (lambda b: (__import__("zipfile").ZipFile(b, "w").writestr("W1.npy", "hello"),
                                       b.getvalue())[1])(io.BytesIO()),
    "object-array": _pickled_npz,
    "no-sizes": lambda: _valid_npz(W1=np.ones((1, 1)), b1=np.ones(1)),
    "wrong-sizes": lambda: _valid_npz(W1=np.ones((1, 1)), b1=np.ones(1), sizes=np.array([2, 1])),
    "float-sizes": lambda: _valid_npz(W1=np.ones((1, 1)), b1=np.ones(1), sizes=np.array([1.0, 1.0])),
    "missing-b": lambda: _valid_npz(W1=np.ones((1, 1)), sizes=np.array([1, 1])),
    "extra-array": lambda: _valid_npz(W1=np.ones((1, 1)), b1=np.ones(1), c=np.ones(1), sizes=np.array([1, 1])),
    "int-weights": lambda: _valid_npz(W1=np.ones((1, 1), int), b1=np.ones(1, int), sizes=np.array([1, 1])),
    "nan-weights": lambda: _valid_npz(W1=np.full((1, 1), np.nan), b1=np.ones(1), sizes=np.array([1, 1])),
    "not-chaining": lambda: _valid_npz(W1=np.ones((2, 1)), b1=np.ones(2), W2=np.ones((1, 3)), b2=np.ones(1),
                                       sizes=np.array([1, 2, 1])),
    "big-endian": lambda: _valid_npz(W1=np.ones((1, 1), ">f8"), b1=np.ones(1, ">f8"), sizes=np.array([1, 1])),
    "valid-float32": lambda: _saved_bytes(F32),
}

SPEC_KINDS = {
    "valid": SPEC, "empty": "", "spaces": "   ", "missing-seed": SPEC.rsplit(" ", 1)[0],
    "extra-field": SPEC + " extra=1", "duplicate-field": SPEC + " seed=8", "junk-word": SPEC + " junk",
    "bad-sizes": SPEC.replace("3-1-2", "3--2"), "sizes-too-deep": SPEC.replace("3-1-2", "-".join(["2"] * 9)),
    "width-0": SPEC.replace("3-1-2", "3-0-2"), "width-65": SPEC.replace("3-1-2", "3-65-2"),
    "one-size": SPEC.replace("3-1-2", "3"), "batch-17": SPEC.replace("batch=4", "batch=17"),
    "batch-negative": SPEC.replace("batch=4", "batch=-1"), "scale-0": SPEC.replace("scale=1.5", "scale=0"),
    "scale-nan": SPEC.replace("scale=1.5", "scale=nan"), "scale-inf": SPEC.replace("scale=1.5", "scale=inf"),
    "scale-word": SPEC.replace("scale=1.5", "scale=big"), "dtype-float16": SPEC.replace("float64", "float16"),
    "seed-negative": SPEC.replace("seed=7", "seed=-7"), "seed-float": SPEC.replace("seed=7", "seed=7.5"),
    "seed-huge": SPEC.replace("seed=7", f"seed={2**80}"), "unicode-digits": SPEC.replace("seed=7", "seed=٧"),
    "equals-in-value": SPEC.replace("dtype=float64", "dtype=float64=x"), "nul": SPEC + "\0",
    "newlines": SPEC.replace(" ", "\n"), "None": None, "int": 5, "bytes": SPEC.encode(), "list": [SPEC],
}


if __name__ == "__main__":   # print what every kind got from every function (the report's table)
    rows: list = []
    table = sweep(record=rows)
    for name, kinds in table.items():
        by = {}
        for (slot, kind), res in kinds.items():
            by.setdefault(res, []).append(f"{slot}:{kind}")
        print(f"{name}: {len(kinds)} distinct bad inputs")
        for res, items in sorted(by.items()):
            print(f"    {res} ({len(items)}): {', '.join(items)}")
