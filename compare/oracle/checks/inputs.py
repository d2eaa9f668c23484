"""``check_input_forms``: a backend's public functions called with every form of input the contract accepts
(Python floats, lists, ints, bools, 0-d arrays, NumPy scalars), each answer required to be, bit for bit, the same
call's on the canonical arrays (lists of floats for a float32 network: a TypeError); and ``backprop`` refusing a
batch.

The gradient lines call ``grad``, ``cost``, ``backprop``, ``forward`` and ``sigmoid`` with arrays of the network's
dtype only, so the conversions a user relies on (``sigmoid(0.3)``, ``grad(params, [0.1, 0.2], [1.0])``) would be
seen by no comparison without these calls (the mutation benchmark showed it: argument handling removed, or a 0-d
result made a scalar, survived the suite). No reference is needed: the canonical call is itself checked against
jax.grad by the gradient lines.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable

import numpy as np

from ..cases.cases import Case, materialise
from ..sandbox import isolation


@dataclasses.dataclass
class ProbeReport:
    """Calls that check a contract rather than a value against the reference: ``ok`` when every one agreed."""

    name: str
    what: str
    cases: int = 0
    failed: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.cases > 0


def same_bits(a, b) -> bool:
    """The same type (ndarray or not), shape, dtype and bits, recursively through lists and tuples."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (type(a) is type(b) or {type(a), type(b)} <= {list, tuple}) and len(a) == len(b) and \
            all(same_bits(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) != isinstance(b, np.ndarray):
        return False
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


def guarded(fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)`` guarded by ``isolation`` with the per-call time limit: (result, Problem or None)."""
    return isolation.call_guarded(lambda: fn(*args, **kwargs), (), time_limit=isolation.CALL_TIME_LIMIT)


def _sigmoid_forms() -> list[tuple[str, object, np.dtype]]:
    """(description, z, the float dtype sigmoid must answer in)."""
    f64, f32 = np.dtype(np.float64), np.dtype(np.float32)
    return [("a Python float", 0.3, f64), ("a 0-d float64 array", np.array(-1.5), f64),
            ("a NumPy float32 scalar", np.float32(0.3), f32), ("a 0-d float32 array", np.array(2.5, f32), f32),
            ("a list", [0.3, -2.0, 40.0], f64), ("a Python int", 2, f64), ("an int array", np.array([1, -3]), f64),
            ("a bool", True, f64), ("a float32 array", np.array([0.5, -700.0], f32), f32)]


def _sigmoid_failures(sigmoid: Callable) -> tuple[int, list[str]]:
    """sigmoid on each form: an ndarray of z's shape in the float dtype, equal to sigmoid on that array."""
    failures = []
    for what, z, dtype in _sigmoid_forms():
        got, problem = guarded(sigmoid, z)
        want, _ = guarded(sigmoid, np.asarray(z, dtype))
        if problem is not None:
            failures.append(f"sigmoid of {what} ({z!r}) {problem.message}")
        elif not (isinstance(got, np.ndarray) and got.shape == np.shape(z) and got.dtype == dtype
                  and same_bits(got, want)):
            failures.append(f"sigmoid of {what} ({z!r}) gave {got!r}; expected an array of shape {np.shape(z)}, "
                            f"{dtype}, equal to sigmoid(np.asarray(z, {dtype}))")
    return len(_sigmoid_forms()), failures


def _as_lists(case: Case):
    """The case's params (arrays), and x, y as arrays and as nested lists of Python floats."""
    params, x, y = materialise(case)
    return params, (x, y), (x.tolist(), y.tolist())


def _same_with_lists(backend, cases: list[Case]) -> tuple[int, list[str]]:
    """forward, cost, grad (and backprop on one example) with x and y as lists of Python floats: on a float64
    network the array call's answer, on a float32 one a TypeError (no silent change of precision)."""
    calls, failures = 0, []
    for case in cases:
        params, arrays, lists = _as_lists(case)
        named = [("forward", backend.forward, 1), ("cost", backend.cost, 2), ("grad", backend.grad, 2)]
        if case.batch == 0:
            named.append(("backprop", backend.backprop, 2))
        for name, fn, n in named:
            calls += 1
            got, p_got = guarded(fn, params, *lists[:n])
            where = f"{name} with x, y as lists of Python floats ({case.describe()})"
            if case.dtype != "float64":
                if p_got is None or not p_got.mistyped:
                    failures.append(f"{where} {'returned' if p_got is None else p_got.message}; expected a "
                                    "TypeError (float64 data for a float32 network: no silent change of precision)")
                continue
            want, p_want = guarded(fn, params, *arrays[:n])
            if p_want is None and p_got is not None:
                failures.append(f"{where} {p_got.message}; on arrays it gave an answer")
            elif p_want is None and not same_bits(got, want):
                failures.append(f"{where} gave other values, types or dtypes than on arrays")
    return calls, failures


def _backprop_refuses_batches(backprop: Callable, cases: list[Case]) -> tuple[int, list[str]]:
    """backprop on a batch, including a 1-1 net's X (3, 1) (shapes a careless check reads as one example), must
    raise ValueError."""
    failures = []
    one = [(np.ones((1, 1)), np.zeros(1))]
    items = [(one, np.ones((3, 1)), np.ones((3, 1)), "a 1-1 net with X (3, 1)")]
    items += [(*materialise(c), c.describe()) for c in cases if c.batch >= 1]
    for params, X, Y, what in items:
        _, problem = guarded(backprop, params, X, Y)
        if problem is None or not problem.refused:
            got = "returned" if problem is None else problem.message
            failures.append(f"backprop on a batch ({what}) {got}; expected a ValueError (it takes one example)")
    return len(items), failures


def check_input_forms(backend: types.SimpleNamespace | object, cases: list[Case], *, name: str) -> ProbeReport:
    """The backend's ``sigmoid``, ``forward``, ``cost``, ``grad`` and ``backprop`` (attributes of ``backend``) on
    the input forms of the module docstring, over ``cases`` (a few of each dtype and batch kind suffice)."""
    report = ProbeReport(name, "calls with Python floats, lists, ints, bools, 0-d arrays and NumPy scalars agree "
                               "bit for bit with the same call on arrays; backprop refuses a batch")
    for counted in (_sigmoid_failures(backend.sigmoid), _same_with_lists(backend, cases),
                    _backprop_refuses_batches(backend.backprop, cases)):
        report.cases += counted[0]
        report.failed += len(counted[1])
        report.failures += counted[1]
    return report


def format_probe_report(r: ProbeReport) -> str:
    """One summary line, and each failing call."""
    lines = [f"{'PASS' if r.ok else 'FAIL'} {r.name}: {r.cases - r.failed}/{r.cases} {r.what}"]
    return "\n".join(lines + [f"  - {f}"[:400] for f in r.failures])


def probe_report_dict(r: ProbeReport) -> dict:
    """A ``ProbeReport`` as JSON-able data."""
    return {**dataclasses.asdict(r), "ok": r.ok}
