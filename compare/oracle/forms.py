"""The forms a candidate's gradient takes, and the one place candidate code is run for a gradient: ``invoke``.

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
