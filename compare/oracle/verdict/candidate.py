"""One call of a candidate on one case, checked structurally: it returned, as many layers as the network has,
each array of exactly its parameter's shape and dtype, and its inputs left unchanged bit for bit.

The case goes into the candidate's layout (``layouts``), the call is ``forms.invoke``, and the output comes back
into our format before these checks; a shape that another layout would explain says which option fixes it. A
gradient in a wider float than the network's (float64 for float32) is accepted, its values checked, unless
``strict_dtype``; a narrower one is a failure. The values are checked later, a chunk at a time (``values``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case
from ..sandbox import forms, isolation, layouts
from ..sandbox.process import Batch, Isolated
from .results import DTYPE, LAYERS, MUTATION, NOT_A_GRADIENT, SHAPE, Failure, raised

GradFn = Callable[..., object]


def _bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint64 if a.dtype.itemsize == 8 else np.uint32)


def _wider(got: np.dtype, want: np.dtype) -> bool:
    """A real float type that holds every value of ``want`` (float64 or long double for float32, ...)."""
    return got.kind == "f" and want.kind == "f" and got.itemsize > want.itemsize


def _dtype_message(l: int, name: str, got: np.dtype, want: np.dtype, noun: str = "grad") -> str:
    head = f"layer {l}: {noun} {name} is {got} for a {want} network"
    if _wider(got, want):
        return (f"{head}: wider than the network's (an accumulator such as np.zeros(shape) is float64 whatever the "
                "network: np.zeros_like(W) keeps its dtype); rerun without --strict-dtype to accept it")
    return (f"{head}: narrower than the network's or not a float (part of the computation ran in {got}: an array "
            f"or constant of that dtype, or an integer result); dtype in must be dtype out")


class Read(NamedTuple):
    """A candidate's result read back (``read_layers``): one (W-like, b-like) pair per layer, or the structural
    ``failure``; ``wider`` the wider float dtype it came in, or None; ``partial``, beside a shape failure, the
    pairs with None for each array whose shape (or dtype) is wrong: the others can still be compared (round 44's
    xchen_m3: a slip in grad W^1 hidden behind a bias of shape (m, 1) on every case that shows it)."""

    layers: list[tuple[np.ndarray, np.ndarray]] | None
    failure: Failure | None
    wider: str | None = None
    partial: list[tuple[np.ndarray | None, np.ndarray | None]] | None = None


def read_layers(case: Case, params, out, *, noun: str = "grad", strict_dtype: bool = False,
                layout: layouts.Layout = layouts.DEFAULT) -> Read:
    """``out`` (already in our format) read as one pair per layer of ``params``, each array of its parameter's
    exact shape and dtype (or a wider float, unless ``strict_dtype``): the gradients (``noun`` "grad") or a step's
    new parameters ("new"); else the first structural Failure, in our words (a shape as ``layout`` has it). The
    one reader of both."""
    L = len(params)
    pair_words = "(grad W, grad b)" if noun == "grad" else "(W', b')"
    in_place = "" if noun == "grad" else " (or None after updating the given arrays in place)"
    if out is None:
        return Read(None, Failure(case, NOT_A_GRADIENT, f"returned None instead of a list of {pair_words} pairs"))
    try:
        layers = list(out)
    except TypeError:
        return Read(None, Failure(case, NOT_A_GRADIENT, f"returned a {type(out).__name__}, not a list of "
                                                        f"{pair_words} pairs{in_place}"))
    if len(layers) != L:
        what = "gradients" if noun == "grad" else "parameters"
        return Read(None, Failure(case, LAYERS, f"returned {len(layers)} layers of {what} for a {L}-layer "
                                                f"network{in_place}"))
    pairs, wider, shapes = [], None, []
    for l, (pair, (W, b)) in enumerate(zip(layers, params), start=1):
        try:
            gW, gb = pair
        except (TypeError, ValueError):
            return _first_shape(shapes) or Read(None, Failure(case, NOT_A_GRADIENT, f"layer {l}: expected a pair "
                                                              f"{pair_words}, got {type(pair).__name__}", layer=l))
        arrays = []
        for g, ref, name in ((gW, W, "W"), (gb, b, "b")):
            try:
                g = np.asarray(g)
            except Exception:
                g = np.asarray(None)
            if g.dtype.kind not in "fiu":
                return _first_shape(shapes) or Read(None, Failure(case, NOT_A_GRADIENT, f"layer {l}: {noun} {name} "
                                                    f"is not an array of real numbers (dtype {g.dtype})", layer=l,
                                                    array=name))
            if g.shape != ref.shape and layout.reshaped and g.size == ref.size:
                g = g.reshape(ref.shape)
            if g.shape != ref.shape:
                shapes.append(_shape_failure(case, noun, layout, l, L, name, g.shape, ref.shape))
                arrays.append(None)
                continue
            if g.dtype != ref.dtype and (strict_dtype or not _wider(g.dtype, ref.dtype)):
                if shapes:                # past a wrong shape only the other shapes are read
                    arrays.append(None)
                    continue
                return Read(None, Failure(case, DTYPE, _dtype_message(l, name, g.dtype, ref.dtype, noun), layer=l,
                                          array=name, expected_dtype=str(ref.dtype), actual_dtype=str(g.dtype)))
            wider = str(g.dtype) if g.dtype != ref.dtype else wider
            arrays.append(g)
        pairs.append(tuple(arrays))
    return _first_shape(shapes, pairs) or Read(pairs, None, wider)


def _shape_failure(case: Case, noun: str, layout: layouts.Layout, l: int, L: int, name: str, got: tuple,
                   expected: tuple) -> Failure:
    """The Failure of one array of layer ``l`` whose shape ``got`` is not ``expected``, in our words: the shape
    the candidate's layout wants first, where it is not ours (round 43: "expected (6, 17)" read as wrong under
    --weights in-out)."""
    theirs = layouts.candidate_shape(layout, name, expected, l, L)   # ours, read back: say theirs first
    want = f"{theirs} as the layout given hands it over ({expected} in ours)" if theirs != expected else expected
    note = per_example_note(got, expected, case.batch) if name == "b" else ""
    return Failure(case, SHAPE, f"layer {l}: {noun} {name} has shape {got}, expected {want}"
                                f"{note or _broadcast_note(got, expected)}",
                   layer=l, array=name, expected_shape=expected, actual_shape=got)


def _first_shape(shapes: list[Failure], pairs: list | None = None) -> Read | None:
    """The first wrong shape of a result, the others of the same result carried on it (and said after it), or
    None when every shape read so far is right; ``pairs``, every layer read (None for each wrong array), become
    the Read's ``partial`` where some array is right."""
    if not shapes:
        return None
    first, others = shapes[0], tuple(shapes[1:])
    also = "".join(f"; also {o.message}" for o in others)
    partial = pairs if pairs and any(a is not None for pair in pairs for a in pair) else None
    return Read(None, dataclasses.replace(first, message=first.message + also, others=others), partial=partial)


def per_example_note(got: tuple, expected: tuple, m: int) -> str:
    """What a b-like result of one value or one row per example of a batch of ``m`` > 1 says (the batch axis kept,
    a sum taken over the wrong axis); else "". ``expected`` is (n_l,)."""
    n = expected[0]
    if m <= 1 or m == n:
        return ""
    if got in ((m, 1), (m,), (1, m)) and n == 1:       # the delta itself is (m, 1): two readings, one shape
        return (f": one value per example of the batch (m = {m}): delta^l not summed over the batch (b - eta * delta "
                "on rows), or summed over the layer's units (axis=1), where the sum over the batch (axis=0 on rows) "
                "belongs; a case with n_l > 1 tells them apart")
    if got in ((m, 1), (m,), (1, m)):
        return (f": one value per example of the batch (m = {m}): delta^l summed over the layer's units (axis=1 on "
                "rows, axis=0 on columns) where the sum over the batch (axis=0 on rows, axis=1 on columns) belongs")
    if got in ((m, n), (n, m)):
        return (f": one row per example of the batch (m = {m}): delta^l not summed over the batch (axis=0 on rows), "
                "or a sum over the units (axis=1, keepdims) broadcast against b")
    return ""


def _broadcast_note(got: tuple, expected: tuple) -> str:
    """What an (n, n) result where a vector (n,) belongs says: a row and a column of n were added, and NumPy's
    broadcasting made a matrix of them; else ""."""
    if len(expected) == 1 and expected[0] > 1 and got == (expected[0], expected[0]):
        return (f": a ({expected[0]}, 1) column and a (1, {expected[0]}) row (or a 1-D vector) added together "
                f"broadcast to ({expected[0]}, {expected[0]}); keep b and what is added to it one shape")
    return ""


def _mutation(case: Case, i: int, L: int) -> Failure:
    what = f"layer {i // 2 + 1}'s {'Wb'[i % 2]}" if i < 2 * L else ("x" if i == 2 * L else "y")
    return Failure(case, MUTATION, f"changed its input {what} in place (it must not modify its arguments; work "
                                   "on copies)")


def _unreadable(case: Case, words: str) -> Failure:
    return Failure(case, NOT_A_GRADIENT, f"its result could not be read as (grad W, grad b) pairs: {words}"[:300])


def _arguments(params, x, y, layout: layouts.Layout, form: forms.Form):
    """(the case in the candidate's layout, the parameter argument as ``form`` passes it, the layer sizes)."""
    given = layouts.to_candidate(params, x, y, layout)
    args = given.params(layout.grads) if form.kind == forms.FUNCTION else (given.weights, given.biases)
    return given, args, [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]


def _ours(case: Case, params, out, layout: layouts.Layout, strict_dtype: bool
          ) -> tuple[list | None, Failure | None, list | None]:
    """The candidate's output (plain data, or its own objects in this process) read back into our format and
    checked, and beside a shape failure the arrays of the right shape (None for each wrong one: ``Read.partial``);
    a shape failure that another layout explains says which option fixes it."""
    read = read_layers(case, params, layouts.from_candidate(out, layout), strict_dtype=strict_dtype, layout=layout)
    arrays, failure = None if read.layers is None else [a for pair in read.layers for a in pair], read.failure
    partial = None if read.partial is None else [a for pair in read.partial for a in pair]
    if failure is not None and failure.kind in (SHAPE, LAYERS, NOT_A_GRADIENT):
        fix = layouts.suggest(out, layout, [(W.shape, b.shape) for W, b in params])
        if fix is not None:
            failure = dataclasses.replace(failure, message=f"{failure.message}; {fix.hint()}", fix=fix.fields)
    return arrays, failure, partial


class Called(NamedTuple):
    """One case called in the worker, read back: its arrays in our format or None, the structural Failure or
    None, the cost (a float, a string saying what went wrong with it, or None when not asked for), and whether
    the gradient and the cost were refused with a ValueError (``ranges``); ``partial``, beside a shape failure,
    the arrays of the right shape (None for each wrong one)."""

    arrays: list | None
    failure: Failure | None
    cost: float | str | None
    refused: bool
    cost_refused: bool
    partial: list | None = None


def call_here(grad: GradFn, cases: list[Case], mats: list, *, layout: layouts.Layout = layouts.DEFAULT,
              form: forms.Form = forms.GRAD, strict_dtype: bool = False) -> list[Called]:
    """Call an in-process candidate on each case of a chunk: one ``Called`` per case, like ``read_chunk``'s for
    a worker (the cost is called later, by ``call_cost``).

    ``grad`` is what ``forms.invoke`` runs for ``form`` (by default a plain ``grad(params, x, y)``); ``mats`` are
    the cases' ``(params, x, y)``, ours, handed over in ``layout``. The call and the reading of what it returned
    (the candidate's own ``__iter__`` or ``__array__`` may run) go through ``isolation.call_candidate``: a per-call
    time limit, printing suppressed, ``sys.exit`` and changes to global state caught. Any of those, or an
    exception, is a failure of kind ``raised`` whose ``cause`` says which; a ValueError is also its refusal
    (``refused``, for the range rule of ``ranges``).
    """
    return [_call_one(grad, case, *mat, layout, form, strict_dtype) for case, mat in zip(cases, mats)]


def _call_one(grad: GradFn, case: Case, params, x, y, layout: layouts.Layout, form: forms.Form,
              strict_dtype: bool) -> Called:
    given, args, sizes = _arguments(params, x, y, layout, form)
    inputs = given.arrays()
    pristine = [a.copy() for a in inputs]

    def call_and_read():
        out = forms.invoke(grad, form, args, given.x, given.y, sizes=sizes)
        try:
            return _ours(case, params, out, layout, strict_dtype)
        except Exception as e:  # the returned object's own code raised while it was read
            return None, _unreadable(case, f"{type(e).__name__}: {isolation.first_line(e)}"), None

    result, problem = isolation.call_candidate(call_and_read, (), key=grad)
    if problem is not None:
        return Called(None, raised(case, problem), None,
                      problem.refused, False)
    for i, (a, b) in enumerate(zip(inputs, pristine)):
        if not np.array_equal(_bits(a), _bits(b)):
            return Called(None, _mutation(case, i, len(params)), None, False, False)
    arrays, failure, partial = result
    return Called(arrays, failure, None, False, False, partial)


class Cost(NamedTuple):
    """A candidate's cost on one case: ``value`` a float, or the words of what went wrong ("raised ValueError:
    ...", "called sys.exit(0)", "took longer than ..."); ``refused`` when that was a ValueError (``ranges``)."""

    value: float | str
    refused: bool


def call_cost(cost: GradFn, params, x, y) -> Cost:
    """The candidate's ``cost(params, x, y)`` in this process, through the same guard as its gradient
    (``isolation.call_candidate``: time limit, printing suppressed, ``sys.exit`` and global state caught), read
    as one float inside the guard (its ``__float__`` is candidate code too)."""
    value, problem = isolation.call_candidate(lambda: float(cost(params, x, y)), (), key=cost)
    if problem is not None:
        return Cost(problem.message, problem.refused)
    return Cost(value, False)


def send_chunk(target: Isolated, mats: list, with_cost: bool, *, layout: layouts.Layout = layouts.DEFAULT,
               form: forms.Form = forms.GRAD) -> Batch:
    """A chunk of cases sent to the worker in one request, in the candidate's layout (``read_chunk`` reads the
    replies): the worker computes while this process goes on."""
    sent = [(layouts.to_candidate(params, x, y, layout, copy=False).arrays(), None,
             [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]) for params, x, y in mats]
    return target.submit(sent, layout.grads, form, with_cost)


def read_chunk(outcomes: list, cases: list[Case], mats: list, *, layout: layouts.Layout = layouts.DEFAULT,
               strict_dtype: bool = False) -> list[Called]:
    """``call`` for a chunk sent by ``send_chunk``, from the worker's ``Outcome``s (``Isolated.collect``): one
    ``Called`` per case."""
    out = []
    for case, (params, _, _), o in zip(cases, mats, outcomes):
        partial = None
        if o.problem is not None and o.problem.cause == "unreadable":
            arrays, failure = None, _unreadable(case, o.problem.message.removeprefix("raised "))
        elif o.problem is not None:
            arrays, failure = None, raised(case, o.problem)
        elif o.mutated is not None:
            arrays, failure = None, _mutation(case, o.mutated, len(params))
        else:
            arrays, failure, partial = _ours(case, params, o.out, layout, strict_dtype)
        cost = o.cost_problem if o.cost_problem is not None else o.cost
        out.append(Called(arrays, failure, cost, o.problem is not None and o.problem.refused, o.cost_refused,
                          partial))
    return out
