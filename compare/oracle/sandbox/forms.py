"""The forms a candidate takes, and the one place candidate code is run: ``invoke`` for a gradient,
``invoke_update`` for an update (a step or an epoch; ``How``, ``build``, ``handed_back``).

- ``function``: ``NAME(params, x, y)`` returns the gradients (params arranged as the layout's ``grads`` says);
- ``method``: the object is built as ``Class(sizes)`` with ``sizes = [n_0, ..., n_L]``, its ``weights`` and
  ``biases`` attributes are set to lists of the case's arrays (in the layout's shapes), then
  ``obj.method(x, y)`` returns the gradients (as Nielsen's ``Network(sizes).backprop(x, y)``).

``invoke`` receives everything already in the candidate's layout (``layouts.to_candidate``) and returns the raw
output; reading it back is ``layouts.from_candidate``'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .layouts import arrange

FUNCTION, METHOD = "function", "method"


class Form(NamedTuple):
    """How to call a candidate: ``kind`` FUNCTION or METHOD; ``name`` the function's or method's name; ``cls`` the
    class name (METHOD only); ``build`` how the object is made (``"sizes"``: ``cls(sizes)``); ``attributes`` the
    attributes set to the weight list and the bias list."""

    kind: str = FUNCTION
    name: str = "grad"
    cls: str | None = None
    build: str = "sizes"
    attributes: tuple[str, str] = ("weights", "biases")

    def describe(self) -> str:
        if self.kind == FUNCTION:
            return f"{self.name}(params, x, y)"
        w, b = self.attributes
        return f"{self.cls}(sizes) with .{w} and .{b} set, then .{self.name}(x, y)"


GRAD = Form()
STEP, EPOCH = Form(FUNCTION, "step"), Form(FUNCTION, "epoch")   # the defaults of check_step and check_epoch


def invoke(target: Callable, form: Form, params, x, y, *, sizes: list[int] | None = None):
    """Run the candidate once and return what it returned, untouched.

    ``target`` is the function (FUNCTION) or the class (METHOD). For FUNCTION ``params`` is passed as it is; for
    METHOD it is ``(weights, biases)``, two lists set on the object built as ``target(list(sizes))``.
    """
    if form.kind == FUNCTION:
        return target(params, x, y)
    obj = target(list(sizes))
    weights, biases = params
    setattr(obj, form.attributes[0], list(weights))
    setattr(obj, form.attributes[1], list(biases))
    return getattr(obj, form.name)(x, y)


# ---- updates: a step or an epoch -----------------------------------------------------------------------

IN_PLACE, RETURNED = "in place", "returned"


class How(NamedTuple):
    """How an update is called: a step ``f(params, x, y, eta)`` / ``obj.NAME(x, y, eta)`` when ``k`` is None, an
    epoch ``f(params, X, Y, eta, k)`` / ``obj.NAME(mini_batch, eta)`` (Nielsen's list of (x, y) pairs, split
    as ``examples`` says: rows or columns) otherwise."""

    eta: float
    k: int | None = None
    examples: str = "rows"


def invoke_update(target: Callable, form: Form, args, x, y, how: How):
    """One update call (a step or an epoch), the one place candidate code runs for one: ``args`` are the
    parameters in the layout's arrangement, or the object for a METHOD."""
    if form.kind == FUNCTION:
        return target(args, x, y, how.eta) if how.k is None else target(args, x, y, how.eta, how.k)
    if how.k is None:
        return getattr(args, form.name)(x, y, how.eta)
    if how.examples == "columns":
        batch = [(x[:, j:j + 1].copy(), y[:, j:j + 1].copy()) for j in range(x.shape[1])]
    else:
        batch = [(x[j].copy(), y[j].copy()) for j in range(x.shape[0])]
    return getattr(args, form.name)(batch, how.eta)


def build(target: Callable, form: Form, weights: list, biases: list, grads: str, sizes: list[int]):
    """The first argument of an update call: the parameters arranged as ``grads`` says, or for a METHOD the
    object built as ``target(sizes)`` with its weight and bias attributes set."""
    if form.kind == FUNCTION:
        return arrange(weights, biases, grads)
    obj = target(list(sizes))
    setattr(obj, form.attributes[0], list(weights))
    setattr(obj, form.attributes[1], list(biases))
    return obj


def handed_back(form: Form, args, out) -> tuple[str, object, bool]:
    """(mode, what to read the new parameters from, whether that is (weights, biases) lists): a METHOD's object
    is read after the call; None or the very list given back means in place."""
    if form.kind == METHOD:
        return IN_PLACE, (getattr(args, form.attributes[0], None), getattr(args, form.attributes[1], None)), True
    if out is None or out is args:
        return IN_PLACE, args, False
    return RETURNED, out, False
