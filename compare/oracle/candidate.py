"""One call of a candidate on one case, checked structurally: it returned, as many layers as the network has,
each array of exactly its parameter's shape and dtype, and its inputs left unchanged bit for bit.

The values are checked later, for a whole chunk at once (``values``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import isolation
from .cases import Case
from .process import Isolated
from .results import DTYPE, LAYERS, MUTATION, NOT_A_GRADIENT, RAISED, SHAPE, Failure

GradFn = Callable[..., object]


def _bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint64 if a.dtype.itemsize == 8 else np.uint32)


def _read(case: Case, params, out) -> tuple[list | None, Failure | None]:
    """The candidate's result as a flat list [grad W^1, grad b^1, ...], or the structural Failure."""
    L = len(params)
    if out is None:
        return None, Failure(case, NOT_A_GRADIENT, "returned None instead of a list of (grad W, grad b) pairs")
    try:
        layers = list(out)
    except TypeError:
        return None, Failure(case, NOT_A_GRADIENT, f"returned a {type(out).__name__}, not a list of "
                                                   "(grad W, grad b) pairs")
    if len(layers) != L:
        return None, Failure(case, LAYERS, f"returned {len(layers)} layers of gradients for a {L}-layer network")
    arrays = []
    for l, (pair, (W, b)) in enumerate(zip(layers, params), start=1):
        try:
            gW, gb = pair
        except (TypeError, ValueError):
            return None, Failure(case, NOT_A_GRADIENT, f"layer {l}: expected a pair (grad W, grad b), got "
                                                       f"{type(pair).__name__}", layer=l)
        for g, ref, name in ((gW, W, "W"), (gb, b, "b")):
            try:
                g = np.asarray(g)
            except Exception:
                g = np.asarray(None)
            if g.dtype.kind not in "fiu":
                return None, Failure(case, NOT_A_GRADIENT, f"layer {l}: grad {name} is not an array of real "
                                     f"numbers (dtype {g.dtype})", layer=l, array=name)
            if g.shape != ref.shape:
                return None, Failure(case, SHAPE, f"layer {l}: grad {name} has shape {g.shape}, expected "
                                     f"{ref.shape}", layer=l, array=name, expected_shape=ref.shape,
                                     actual_shape=g.shape)
            if g.dtype != ref.dtype:
                return None, Failure(case, DTYPE, f"layer {l}: grad {name} is {g.dtype} for a {ref.dtype} "
                                     f"network (dtype in must be dtype out)", layer=l, array=name,
                                     expected_dtype=str(ref.dtype), actual_dtype=str(g.dtype))
            arrays.append(g)
    return arrays, None


def _mutation(case: Case, i: int, L: int) -> Failure:
    what = f"layer {i // 2 + 1}'s {'Wb'[i % 2]}" if i < 2 * L else ("x" if i == 2 * L else "y")
    return Failure(case, MUTATION, f"changed its input {what} in place (it must not modify its arguments; work "
                                   "on copies)")


def _unreadable(case: Case, words: str) -> Failure:
    return Failure(case, NOT_A_GRADIENT, f"its result could not be read as (grad W, grad b) pairs: {words}"[:300])


def call(grad: GradFn, case: Case, params, x, y) -> tuple[list | None, Failure | None]:
    """Call ``grad(params, x, y)``; return its arrays, or the structural Failure.

    ``grad`` is a function (called in this process) or a ``process.Isolated`` candidate (called in its worker
    process). In this process the call, and the reading of what it returned (the candidate's own ``__iter__``
    or ``__array__`` may run), go through ``isolation.call_candidate``: a per-call time limit, printing
    suppressed, ``sys.exit`` and changes to global state caught. Any of those, or an exception, or (in a
    worker) the process dying or sending garbage, is a failure of kind ``raised`` whose ``cause`` says which.
    """
    if isinstance(grad, Isolated):
        return _call_isolated(grad, case, params, x, y)
    inputs = [a for pair in params for a in pair] + [x, y]
    pristine = [a.copy() for a in inputs]

    def call_and_read():
        out = grad(params, x, y)
        try:
            return _read(case, params, out)
        except Exception as e:  # the returned object's own code raised while it was read
            return None, _unreadable(case, f"{type(e).__name__}: {isolation.first_line(e)}")

    result, problem = isolation.call_candidate(call_and_read, (), key=grad)
    if problem is not None:
        return None, Failure(case, RAISED, problem.message[:300], cause=problem.cause)
    for i, (a, b) in enumerate(zip(inputs, pristine)):
        if not np.array_equal(_bits(a), _bits(b)):
            return None, _mutation(case, i, len(params))
    return result


def _call_isolated(target: Isolated, case: Case, params, x, y) -> tuple[list | None, Failure | None]:
    """``call`` for a candidate in a worker: its output arrives as plain nested lists of arrays, read here."""
    arrays, failure, _ = call_chunk(target, [case], [(params, x, y)], False, None)[0]
    return arrays, failure


def call_chunk(target: Isolated, cases: list[Case], mats: list, with_cost: bool, meanwhile) -> list:
    """``call`` for a chunk of cases in one request to the worker: per case (arrays or None, Failure or None,
    cost): the cost is a float, a string saying what went wrong with it, or None when not asked for.
    ``meanwhile`` runs while the worker computes."""
    out = []
    for case, (params, _, _), o in zip(cases, mats, target.run(mats, with_cost, meanwhile)):
        if o.problem is not None and o.problem.cause == "unreadable":
            arrays, failure = None, _unreadable(case, o.problem.message.removeprefix("raised "))
        elif o.problem is not None:
            arrays, failure = None, Failure(case, RAISED, o.problem.message[:300], cause=o.problem.cause)
        elif o.mutated is not None:
            arrays, failure = None, _mutation(case, o.mutated, len(params))
        else:
            arrays, failure = _read(case, params, o.out)
        cost = o.cost_problem.removeprefix("raised ") if o.cost_problem is not None else o.cost
        out.append((arrays, failure, cost))
    return out
