"""One call of a candidate that updates parameters (a step, an epoch, a mini-batch method), and reading the new
parameters back, whichever way it hands them over:

- **returned**: it returned new parameters (in its layout's arrangement) other than the very list it was given;
- **in place**: it returned None or the list it was given, and the new values are read from the arrays and the
  list it was given (``W -= ...`` changes the arrays, ``params[l] = (W', b')`` the list); an object's method
  (``forms.METHOD``) always counts as in place: its ``weights`` and ``biases`` attributes are read after the call.

Changing ``x`` or ``y`` is a failure (``MUTATION``); changing the parameters is how an in-place step works.
The new parameters are read as gradients are (``candidate.read_layers``): a float wider than the network's
is accepted unless ``strict_dtype``; a narrower one is a failure.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case
from ..sandbox import forms, isolation, layouts
from ..sandbox.forms import IN_PLACE, How, build, handed_back, invoke_update
from .candidate import read_layers
from .results import MUTATION, NOT_A_GRADIENT, Failure, raised


class Update(NamedTuple):
    """What one update call gave: ``params`` the new [(W, b), ...] in our format (None on failure), ``mode``
    IN_PLACE or RETURNED, ``failure`` or None, ``wider`` the wider float dtype it returned, or None; ``partial``
    beside a shape failure, the new pairs with None for each array of a wrong shape (``candidate.Read``)."""

    params: list | None
    mode: str | None
    failure: Failure | None
    wider: str | None = None
    partial: list | None = None


def _data_changed(case: Case, name: str) -> Update:
    return Update(None, None, Failure(case, MUTATION, f"changed its input {name} in place (a step may update the "
                                                      "parameters, never the data)"))


def call_update(target, form: forms.Form, layout: layouts.Layout, case: Case, params, x, y, how: How, *,
                strict_dtype: bool = False) -> Update:
    """Hand ``(params, x, y)`` over in ``layout`` and make the update call ``how`` says once, guarded by
    ``isolation`` in this process or, for a ``process.Isolated`` candidate, in its worker process; read the
    new parameters back (module docstring)."""
    from ..sandbox.process import Isolated

    how = how._replace(examples=layout.examples)
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
    if isinstance(target, Isolated):
        given = layouts.to_candidate(params, x, y, layout, copy=False)
        o = target.update([(given.arrays(), None, sizes)], layout.grads, form, how)[0]
        if o.problem is not None:
            return Update(None, None, raised(case, o.problem))
        if o.mutated is not None:
            return _data_changed(case, "x" if o.mutated == 2 * len(params) else "y")
        mode, raw, as_lists = o.mode, o.out, o.mode == IN_PLACE and form.kind == forms.METHOD
    else:
        given = layouts.to_candidate(params, x, y, layout)
        data, data_pristine = [given.x, given.y], [given.x.copy(), given.y.copy()]
        state = {}

        def run():
            state["args"] = build(target, form, given.weights, given.biases, layout.grads, sizes, eta=how.eta,
                                  x=given.x, y=given.y)
            return invoke_update(target, form, state["args"], given.x, given.y, how)

        out, problem = isolation.call_candidate(run, (), key=target)
        if problem is not None:
            return Update(None, None, raised(case, problem))
        for name, a, b in zip("xy", data, data_pristine):
            if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
                return _data_changed(case, name)
        mode, raw, as_lists = handed_back(form, state["args"], out)
    if as_lists and layout.weights_only:      # an object's weight list alone holds folded or bias-free parameters
        raw, as_lists = raw[0], False
    read_layout = dataclasses.replace(layout, grads="lists") if as_lists else layout
    try:
        read = read_layers(case, params, layouts.from_candidate(raw, read_layout), noun="new",
                           strict_dtype=strict_dtype, layout=layout)
    except Exception as e:   # the returned object's own code raised while it was read
        return Update(None, mode, Failure(case, NOT_A_GRADIENT, f"its new parameters could not be read: "
                                                                f"{type(e).__name__}: {isolation.first_line(e)}"[:300]))
    return Update(_copied(read.layers), mode, read.failure, read.wider, _copied(read.partial))


def _copied(pairs: list | None) -> list | None:
    """The (W, b) ``pairs`` read back, each array copied (None kept, for an array of a wrong shape): the
    candidate may still hold and change the ones it returned."""
    return None if pairs is None else [tuple(None if a is None else a.copy() for a in pair) for pair in pairs]
