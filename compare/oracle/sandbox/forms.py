"""The forms a candidate takes, and the one place candidate code is run: ``invoke`` for a gradient,
``invoke_update`` for an update (a step or an epoch; ``How``, ``build``, ``handed_back``).

- ``function``: ``NAME(params, x, y)`` returns the gradients (params arranged as the layout's ``grads`` says);
- ``method``: the object is built as ``Class(sizes)`` with ``sizes = [n_0, ..., n_L]`` (or by the expression
  in ``Form.build``, e.g. ``Net(sizes, seed=0)`` or ``make_net(sizes)``: evaluated with the module's names and
  ``sizes``, where the candidate's code runs), its ``weights`` and ``biases`` attributes are set to lists of the
  case's arrays (in the layout's shapes; ``biases`` left alone where they are folded into the weights), then
  ``obj.method(x, y)`` returns the gradients (as Nielsen's ``Network(sizes).backprop(x, y)``).

``invoke`` receives everything already in the candidate's layout (``layouts.to_candidate``) and returns the raw
output; reading it back is ``layouts.from_candidate``'s job.
"""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Callable
from typing import NamedTuple

from .layouts import arrange, separate

FUNCTION, METHOD = "function", "method"
SIZES = "sizes"                  # Form.build: the object is Class(sizes)
UNBUILT = "(no constructor)"     # Form.build: Class(sizes) cannot work and no expression was given


class Form(NamedTuple):
    """How to call a candidate: ``kind`` FUNCTION or METHOD; ``name`` the function's or method's name; ``cls`` the
    class name (METHOD only); ``build`` how the object is made (``SIZES``: ``cls(sizes)``; an expression in
    ``sizes`` checked by ``check_build``; ``UNBUILT`` where ``cls(sizes)`` cannot work and none was given);
    ``attributes`` the attributes set to the weight list and the bias list."""

    kind: str = FUNCTION
    name: str = "grad"
    cls: str | None = None
    build: str = SIZES
    attributes: tuple[str, str] = ("weights", "biases")

    def describe(self) -> str:
        if self.kind == FUNCTION:
            return f"{self.name}(params, x, y)"
        w, b = self.attributes
        made = f"{self.cls}(sizes)" if self.build in (SIZES, UNBUILT) else self.build
        return f"{made} with .{w} and .{b} set, then .{self.name}(x, y)"


GRAD = Form()
STEP, EPOCH = Form(FUNCTION, "step"), Form(FUNCTION, "epoch")   # the defaults of check_step and check_epoch


def check_build(expr: str, fixed: bool = False) -> str:
    """``expr`` itself when it can build the object: one Python expression that uses the name ``sizes`` (the
    network's layer sizes change from case to case), or need not where every case has the same sizes (``fixed``:
    a class that builds one architecture, Net() for a 2-2-1 net); ValueError saying what is wrong otherwise. Read
    here, in the oracle, without running anything."""
    if not isinstance(expr, str):
        raise TypeError(f"a constructor expression must be a string, got {type(expr).__name__}")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as e:
        raise ValueError(f"{expr!r} is not a Python expression ({e.msg})") from None
    if not fixed and not any(isinstance(n, ast.Name) and n.id == "sizes" for n in ast.walk(tree)):
        raise ValueError(f"{expr!r} does not use sizes: the object must be built for each case's layer sizes, "
                         "e.g. 'Net(sizes, seed=0)' (or, for a class that builds one architecture only, fix every "
                         "width with --sizes, e.g. --sizes 2-2-1)")
    return expr


@functools.lru_cache(maxsize=8)
def _compiled(expr: str):
    return compile(expr.strip(), "<constructor expression>", "eval")


def make(target: Callable, form: Form, sizes: list[int], names: dict | None = None):
    """The object a METHOD form calls: ``target(sizes)``, or ``form.build`` evaluated with the names of the
    candidate's module (``names``; by default those of ``target``'s module where it is importable, and the class
    under its own name) and ``sizes``. TypeError for ``UNBUILT``: the object cannot be made."""
    if form.build == SIZES:
        return target(list(sizes))
    if form.build == UNBUILT:
        raise TypeError(f"{form.cls}(sizes) does not work: the oracle builds the object as {form.cls}([n_0, ..., "
                        "n_L]) unless told how (--make 'EXPR', e.g. --make 'Net(sizes, seed=0)')")
    if names is None:
        module = sys.modules.get(getattr(target, "__module__", None))
        names = {**(vars(module) if module is not None else {}), form.cls: target}
    return eval(_compiled(form.build), dict(names), {"sizes": list(sizes)})   # the user's own expression


def _set(obj, form: Form, weights: list, biases: list) -> None:
    """The case's parameters set on the object: its weight list, and its bias list unless they are folded."""
    setattr(obj, form.attributes[0], list(weights))
    if separate(biases):
        setattr(obj, form.attributes[1], list(biases))


def invoke(target: Callable, form: Form, params, x, y, *, sizes: list[int] | None = None,
           names: dict | None = None):
    """Run the candidate once and return what it returned, untouched.

    ``target`` is the function (FUNCTION) or the class (METHOD). For FUNCTION ``params`` is passed as it is; for
    METHOD it is ``(weights, biases)``, two lists set on the object ``make`` builds (``names``: the candidate
    module's, for a constructor expression).
    """
    if form.kind == FUNCTION:
        return target(params, x, y)
    obj = make(target, form, sizes, names)
    _set(obj, form, *params)
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
    elif how.examples == "rows_2d":
        batch = [(x[j:j + 1].copy(), y[j:j + 1].copy()) for j in range(x.shape[0])]
    else:
        batch = [(x[j].copy(), y[j].copy()) for j in range(x.shape[0])]
    return getattr(args, form.name)(batch, how.eta)


def build(target: Callable, form: Form, weights: list, biases: list, grads: str, sizes: list[int],
          names: dict | None = None):
    """The first argument of an update call: the parameters arranged as ``grads`` says, or for a METHOD the
    object ``make`` builds with its weight and bias attributes set."""
    if form.kind == FUNCTION:
        return arrange(weights, biases, grads)
    obj = make(target, form, sizes, names)
    _set(obj, form, weights, biases)
    return obj


def handed_back(form: Form, args, out) -> tuple[str, object, bool]:
    """(mode, what to read the new parameters from, whether that is (weights, biases) lists): a METHOD's object
    is read after the call; None or the very list given back means in place."""
    if form.kind == METHOD:
        return IN_PLACE, (getattr(args, form.attributes[0], None), getattr(args, form.attributes[1], None)), True
    if out is None or out is args:
        return IN_PLACE, args, False
    return RETURNED, out, False
