"""The forms a candidate takes, and the one place candidate code is run: ``invoke`` for a gradient,
``invoke_update`` for an update (a step or an epoch; ``How``, ``build``, ``handed_back``).

- ``function``: ``NAME(params, x, y)`` returns the gradients (params arranged as the layout's ``grads`` says);
- ``method``: the object is built as ``Class(sizes)`` with ``sizes = [n_0, ..., n_L]`` (or by the expression
  in ``Form.build``, e.g. ``Net(sizes, seed=0)`` or ``make_net(sizes)``: evaluated with the module's names and
  ``sizes``, where the candidate's code runs), its ``weights`` and ``biases`` attributes are set to lists of the
  case's arrays (in the layout's shapes; ``biases`` left alone where they are folded into the weights or absent),
  or where ``Form.attributes`` says (``place``: a list, one attribute per layer, or an attribute of each item of a
  list), then ``obj.method(x, y)`` returns the gradients (as Nielsen's ``Network(sizes).backprop(x, y)``).

``invoke`` receives everything already in the candidate's layout (``layouts.to_candidate``) and returns the raw
output; reading it back is ``layouts.from_candidate``'s job.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
from collections.abc import Callable, MutableMapping
from typing import NamedTuple

from .layouts import arrange, separate

FUNCTION, METHOD = "function", "method"
SIZES = "sizes"                  # Form.build: the object is Class(sizes)
UNBUILT = "(no constructor)"     # Form.build: Class(sizes) cannot work and no expression was given


class Form(NamedTuple):
    """How to call a candidate: ``kind`` FUNCTION or METHOD; ``name`` the function's or method's name; ``cls`` the
    class name (METHOD only); ``build`` how the object is made (``SIZES``: ``cls(sizes)``; an expression in
    ``sizes`` checked by ``check_build``; ``UNBUILT`` where ``cls(sizes)`` cannot work and none was given);
    ``attributes`` the attributes set to the weight list and the bias list; ``call`` the expression that calls
    it (``check_call``: ``f(x, y, learn_rate=eta, epochs=1)``), or None for the usual arguments."""

    kind: str = FUNCTION
    name: str = "grad"
    cls: str | None = None
    build: str = SIZES
    attributes: tuple[str, str] = ("weights", "biases")
    call: str | None = None

    def describe(self) -> str:
        if self.kind == FUNCTION:
            return f"{self.name}(params, x, y)"
        w, b = self.attributes
        made = f"{self.cls}(sizes)" if self.build in (SIZES, UNBUILT) else self.build
        rate = "" if not takes_eta(self.build) else " (eta given to the constructor)"
        return f"{made} with .{w} and .{b} set, then .{self.name}(x, y){rate}"


# ---- where an object keeps its parameters ----------------------------------------------------------------

LIST, PER_LAYER, ITEMS = "list", "per layer", "items"


class Place(NamedTuple):
    """Where an object keeps one kind of parameter (``--attributes``), ``kind`` with ``names``:
    LIST ``(attr,)``: ``obj.attr`` is the list [W^1, ..., W^L] (``weights``), or its items ``start``:``stop``
    (``W[1:]``: a list indexed from 1, its item 0 a placeholder kept as it is);
    PER_LAYER ``(attr_1, ..., attr_L)``: one attribute per layer, ``obj.W1``, ``obj.W2`` (written ``W1+W2``; the
    one layer's of a depth-1 net, bare: ``W+``; an attribute of an attribute, dotted: ``layer1.W+layer2.W``);
    ITEMS ``(list_attr, attr)``: the attribute of each item of a list, ``obj.layers[l].W`` (``layers[].W``), from
    item ``start`` on and before ``stop`` (``layers[1:].W``: an input layer's item holds none; ``layers[:-1].W``: an
    output layer's item last), every ``step``-th (``layers[::2].W``: dense layers and activation layers in turn),
    or its ``key`` (``layers[]['W']``: the items are dicts)."""

    kind: str
    names: tuple[str, ...]
    start: int = 0
    key: bool = False
    stop: int | None = None
    step: int = 1


_SLICED = re.compile(r"([A-Za-z_][\w.]*)\[(-?\d+)?:(-?\d+)?\]")
_ITEM = re.compile(r"([A-Za-z_]\w*)\[(?:(-?\d+)?:(-?\d+)?(?::([1-9]\d*))?)?\](?:\.([A-Za-z_]\w*)|\[(['\"])(\w+)\6\])")


@functools.lru_cache(maxsize=64)
def place(text: str) -> Place:
    """The ``Place`` written ``text`` (``W``, ``W1+W2``, ``layers[].W``, ``layers[1:].W``, ``layers[]['W']``);
    ValueError saying what is wrong."""
    text = text.strip()
    if (sliced := _SLICED.fullmatch(text)) and _dotted(sliced[1]):
        start, stop = sliced[2], sliced[3]
        return Place(LIST, (sliced[1],), int(start or 0), False, None if stop is None else int(stop))
    if "[" in text:
        match = _ITEM.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not one of each item of a list: layers[].W, from the second item on "
                             "layers[1:].W (a slice: layers[:-1].W, every other item: layers[::2].W), of dicts "
                             "layers[]['W']; nor a slice of a list of arrays (W[1:])")
        items, start, stop, step, attr, _, key = match.groups()
        return Place(ITEMS, (items, attr or key), int(start or 0), key is not None, None if stop is None else int(stop),
                     int(step or 1))
    if "+" in text:                         # W+: the one layer's W, bare, of a net of depth 1
        names, kind = tuple(n.strip() for n in text.removesuffix("+").split("+")), PER_LAYER
    else:
        names, kind = (text,), LIST
    if not all(_dotted(n) for n in names) or len(set(names)) != len(names):
        raise ValueError(f"{text!r} is not an attribute name (W), one per layer (W1+W2; a depth-1 net's one: W+; "
                         "dotted: layer1.W+layer2.W) or one of each item of a list (layers[].W, layers[1:].W, "
                         "layers[]['W'])")
    return Place(kind, names)


def _dotted(name: str) -> bool:
    """Whether ``name`` is an attribute name, or a path of them (``layer1.synaptic_weights``)."""
    return all(part.isidentifier() for part in name.split("."))


def _holder(obj, name: str) -> tuple[object, str]:
    """The object that holds the last attribute of the path ``name`` and that attribute's name (``obj.layer1``,
    ``"W"`` for ``layer1.W``); TypeError naming the step of the path that is missing."""
    *path, last = name.split(".")
    for n, part in enumerate(path):
        if not hasattr(obj, part):
            raise TypeError(f"--attributes {name}: the object has no {'.'.join(path[:n + 1])} to hold {last}")
        obj = getattr(obj, part)
    return obj, last


def _items(obj, p: Place) -> list:
    """The items of ``obj``'s list that a ``Place`` of kind ITEMS reads, its slice ``start``:``stop``:``step``."""
    return list(getattr(obj, p.names[0]))[p.start:p.stop:p.step]


def layers_named(text: str) -> int | None:
    """How many layers ``text`` names one attribute each (``W1+W2``: 2), or None where any depth fits."""
    p = place(text)
    return len(p.names) if p.kind == PER_LAYER else None


def _put(obj, text: str, arrays: list) -> None:
    """``arrays`` (one per layer) set on ``obj`` where ``text`` (a ``place``) says."""
    p = place(text)
    if p.kind == LIST:
        holder, name = _holder(obj, p.names[0])
        old = getattr(holder, name, None)
        old = [] if old is None else list(old)
        head = (old + [None] * p.start)[:p.start]                  # the placeholders before the layers, kept
        setattr(holder, name, head + list(arrays) + (old[p.stop:] if p.stop is not None else []))
        return
    if p.kind == PER_LAYER:
        targets = [_holder(obj, n) for n in p.names]
    else:
        targets = [(item, p.names[1]) for item in _items(obj, p)]
    if len(targets) != len(arrays):
        raise TypeError(f"--attributes {text} holds {len(targets)} layers; this case's net has {len(arrays)}")
    for (holder, name), a in zip(targets, arrays):
        if p.key:
            holder[name] = a
        else:
            setattr(holder, name, a)


def _got(obj, text: str):
    """The list of arrays ``obj`` holds where ``text`` (a ``place``) says, after a call; None where it is gone."""
    p = place(text)
    if p.kind == LIST:
        got = _read(obj, p.names[0])
        return got if got is None or (p.start, p.stop) == (0, None) else list(got)[p.start:p.stop]
    if p.kind == PER_LAYER:
        return [_read(obj, n) for n in p.names]
    if not hasattr(obj, p.names[0]):
        return []
    if p.key:
        return [item.get(p.names[1]) if hasattr(item, "get") else None for item in _items(obj, p)]
    return [getattr(item, p.names[1], None) for item in _items(obj, p)]


def _read(obj, name: str):
    """The attribute at the path ``name`` of ``obj`` (``_holder``); None where any step of it is gone."""
    try:
        holder, last = _holder(obj, name)
    except TypeError:
        return None
    return getattr(holder, last, None)


GRAD = Form()
STEP, EPOCH = Form(FUNCTION, "step"), Form(FUNCTION, "epoch")   # the defaults of check_step and check_epoch


def _names(expr: str, what: str) -> frozenset[str]:
    """The names ``expr``, one Python expression, uses; TypeError or ValueError naming ``what`` it was meant to
    be (a constructor, a call). Read without running anything, once per expression."""
    if not isinstance(expr, str):
        raise TypeError(f"{what} expression must be a string, got {type(expr).__name__}")
    return _names_in(expr)


@functools.lru_cache(maxsize=8)
def _names_in(expr: str) -> frozenset[str]:
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as e:
        raise ValueError(f"{expr!r} is not a Python expression ({e.msg})") from None
    return frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


CALL_NAMES = ("f", "params", "x", "y", "eta", "k", "pairs")   # what a call expression may use (``check_call``)


def check_call(expr: str, update: bool, method: bool = False) -> str:
    """``expr`` itself when it can call the candidate: one Python expression that calls ``f`` (the function, or
    the method of the object built), with ``params`` (a function's parameters, as the layout arranges them),
    ``x``, ``y`` (one example or a batch; an epoch's mini-batch rows for a method, all its rows for a function)
    and, for an update (``update``), ``eta``, ``k`` (an epoch's mini-batch size; None for a step) and ``pairs``
    (the examples given as a list of (x, y), a step's too); other names are the candidate module's. ValueError
    saying what is wrong. Read here, without running anything, as ``check_build`` reads a constructor. A
    ``method``'s parameters are on its object, so ``params`` (which would be None there) is an error."""
    names = _names(expr, "a call")
    if "f" not in names:
        raise ValueError(f"{expr!r} does not call f, the candidate: e.g. 'f(x, y, eta)' or 'f(X=x, Y=y)'")
    if method and "params" in names:
        raise ValueError(f"{expr!r} uses params, a function candidate's parameter list: a method's parameters are "
                         "set on its object (--attributes, which may name a new attribute), so pass them as "
                         "f.__self__.NAME, e.g. --attributes W --call 'f(x, y, f.__self__.W)'")
    if not update and names & {"eta", "k", "pairs"}:
        raise ValueError(f"{expr!r} uses {sorted(names & {'eta', 'k', 'pairs'})}: a gradient has no rate, "
                         "mini-batch size or pairs")
    return expr


def _call(form: Form, f: Callable, names: dict | None, **values):
    """``form.call`` evaluated with the candidate module's ``names`` and ``f`` and ``values`` (CALL_NAMES)."""
    if names is None:
        names = module_names(sys.modules.get(getattr(f, "__module__", None)))
    scope = _scoped(names, f=f, **values)               # the user's words, one scope (comprehensions)
    return eval(_compiled(form.call, CALL_SOURCE), scope)


def module_names(module) -> dict:
    """The names of the candidate's ``module`` for an expression of the user's, with ``globals()`` that module's
    own namespace (the expression's scope is a copy: ``globals()["n"] = 4`` sets the module's n, as a line of
    glue at its top level would; ``_scoped`` lets the rest of the expression read it too); {} for None."""
    if module is None:
        return {}
    namespace = vars(module)
    return {**namespace, "globals": lambda: namespace}


class _Namespace(MutableMapping):
    """The module's namespace as ``globals()`` hands it to an expression: a name set there is set in the module and
    in the expression's own scope, which the rest of the expression reads (round 69's simurgh: ``[globals().
    __setitem__("_n", ...), setattr(_n, ...)]`` raised NameError where the scope was copied before the set)."""

    def __init__(self, module: dict, scope: dict):
        self.module, self.scope = module, scope

    def __getitem__(self, key):
        return self.module[key]

    def __setitem__(self, key, value):
        self.module[key] = self.scope[key] = value

    def __delitem__(self, key):
        del self.module[key]
        self.scope.pop(key, None)

    def __iter__(self):
        return iter(self.module)

    def __len__(self) -> int:
        return len(self.module)


def _scoped(names: dict, **values) -> dict:
    """The scope of a user's expression: the module's ``names`` and ``values``, its ``globals()`` writing through
    to both the module and this scope (``_Namespace``)."""
    scope = {**names, **values}
    if "globals" in names:
        namespace = names["globals"]()
        scope["globals"] = lambda: _Namespace(namespace, scope)
    return scope


def takes_eta(expr: str) -> bool:
    """Whether a constructor expression uses the name ``eta``: the object then gets the learning rate when it is
    made (``Net(sizes, lr=eta)``), and its update method is called without it (``obj.train(x, y)``)."""
    return expr not in (SIZES, UNBUILT) and "eta" in _names(expr, "a constructor")


def check_build(expr: str, fixed: bool = False) -> str:
    """``expr`` itself when it can build the object: one Python expression that uses the name ``sizes`` (the
    network's layer sizes change from case to case) or the case's data ``x``, ``y`` (a class built from its
    training data, Net(X, y, lr): their shapes give n_0 and n_L, --attributes the rest), or need not where every
    case has the same sizes or --attributes sets every array (``fixed``: a class that builds one architecture,
    Net() for a 2-2-1 net, or none, NN(eta), its weights set afterwards); ValueError
    saying what is wrong otherwise. Read here, in the oracle, without running anything."""
    if not fixed and not {"sizes", "x", "y"} & _names(expr, "a constructor"):
        raise ValueError(f"{expr!r} uses neither sizes nor x, y: the object must be built for each case's layer "
                         "sizes, e.g. 'Net(sizes, seed=0)' or 'Net(x, y, 0.1)' (or, for a class that builds one "
                         "architecture only, fix every width with --sizes, e.g. --sizes 2-2-1, or set its arrays "
                         "with --attributes)")
    return expr


@functools.lru_cache(maxsize=8)
def _compiled(expr: str, source: str):
    return compile(expr.strip(), source, "eval")


MAKE_SOURCE, CALL_SOURCE = "<the --make expression>", "<the --call expression>"   # named in a traceback
EXPRESSIONS = (MAKE_SOURCE, CALL_SOURCE)


def make(target: Callable, form: Form, sizes: list[int], names: dict | None = None, eta: float | None = None,
         x=None, y=None):
    """The object a METHOD form calls: ``target(sizes)``, or ``form.build`` evaluated with the names of the
    candidate's module (``names``; by default those of ``target``'s module where it is importable, and the class
    under its own name), ``sizes``, the call's ``x`` and ``y`` (as the call gets them) and, for an update,
    ``eta``. TypeError for ``UNBUILT``: the object cannot be made."""
    if form.build == SIZES:
        return target(list(sizes))
    if form.build == UNBUILT:
        raise TypeError(f"{form.cls}(sizes) does not work: the oracle builds the object as {form.cls}([n_0, ..., "
                        "n_L]) unless told how (--make 'EXPR', e.g. --make 'Net(sizes, seed=0)')")
    if names is None:
        names = {**module_names(sys.modules.get(getattr(target, "__module__", None))), form.cls: target}
    scope = _scoped(names, sizes=list(sizes), eta=eta, x=x, y=y)
    return eval(_compiled(form.build, MAKE_SOURCE), scope)                  # their words


def _set(obj, form: Form, weights: list, biases: list) -> None:
    """The case's parameters set on the object where ``form.attributes`` says: its weights, and its biases unless
    they are folded or absent."""
    _put(obj, form.attributes[0], weights)
    if separate(biases):
        _put(obj, form.attributes[1], biases)


def invoke(target: Callable, form: Form, params, x, y, *, sizes: list[int] | None = None,
           names: dict | None = None):
    """Run the candidate once and return what it returned, untouched.

    ``target`` is the function (FUNCTION) or the class (METHOD). For FUNCTION ``params`` is passed as it is; for
    METHOD it is ``(weights, biases)``, two lists set on the object ``make`` builds (``names``: the candidate
    module's, for a constructor expression).
    """
    if form.kind == FUNCTION:
        return _bound(target, ("params", "x", "y"), params, x, y) if form.call is None else \
            _call(form, target, names, params=params, x=x, y=y)
    obj = make(target, form, sizes, names, x=x, y=y)
    _set(obj, form, *params)
    method = getattr(obj, form.name)
    return _bound(method, ("x", "y"), x, y) if form.call is None else \
        _call(form, method, names, params=None, x=x, y=y)


def _bound(f: Callable, words: tuple[str, ...], *args):
    """``f(*args)``; where the arguments do not bind to ``f``'s parameters (a TypeError of the call itself, no
    frame of ``f`` entered), a TypeError that also says how the oracle called it, ``f``'s signature, and that
    --call passes the arguments as it takes them (a train(X, y, epochs, learning_rate) called as f(x, y, eta))."""
    try:
        return f(*args)
    except TypeError as e:
        if e.__traceback__ is None or e.__traceback__.tb_next is not None:
            raise                                   # raised inside f: its own error
        try:
            signature = f"{getattr(f, '__name__', 'f')}{inspect.signature(f)}"
        except (TypeError, ValueError):
            raise e from None
        raise TypeError(f"{e} (called as f({', '.join(words)}); its signature is {signature}: --call 'f(...)' "
                        "passes the arguments as it takes them)") from None


# ---- updates: a step or an epoch -----------------------------------------------------------------------

IN_PLACE, RETURNED = "in place", "returned"


class How(NamedTuple):
    """How an update is called: a step ``f(params, x, y, eta)`` / ``obj.NAME(x, y, eta)`` when ``k`` is None, an
    epoch ``f(params, X, Y, eta, k)`` / ``obj.NAME(mini_batch, eta)`` (Nielsen's list of (x, y) pairs, split
    as ``examples`` says: rows or columns) otherwise."""

    eta: float
    k: int | None = None
    examples: str = "rows"


def _has_room_for_rate(f: Callable, given: int) -> bool:
    """Whether ``f`` takes a learning rate after its ``given`` positional arguments (its data): False only where
    its signature has exactly ``given`` positional parameters and no ``*args``: a step with a rate of its own
    (``def train(self, x, y)`` using ``self.lr``), called without one; its rate is then read off its steps."""
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        return True
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return True
    return len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]) != given


def invoke_update(target: Callable, form: Form, args, x, y, how: How, names: dict | None = None):
    """One update call (a step or an epoch), the one place candidate code runs for one: ``args`` are the
    parameters in the layout's arrangement, or the object for a METHOD. A step without room for a rate in its
    signature, or whose object got it when it was made, is called without it. ``names``: the candidate module's,
    for a call expression (by default those of the module that defines the function or method)."""
    f = target if form.kind == FUNCTION else getattr(args, form.name)
    if form.call is not None:
        params = args if form.kind == FUNCTION else None
        pairs = _pairs(x, y, how.examples)       # a step's examples too (a method that takes a mini-batch)
        return _call(form, f, names, params=params, x=x, y=y, eta=how.eta, k=how.k, pairs=pairs)
    if form.kind == FUNCTION and how.k is None:
        rate = (how.eta,) if _has_room_for_rate(f, 3) else ()
        return _bound(f, ("params", "x", "y", "eta")[:3 + len(rate)], args, x, y, *rate)
    if form.kind == FUNCTION:
        return _bound(f, ("params", "X", "Y", "eta", "k"), args, x, y, how.eta, how.k)
    rate = () if takes_eta(form.build) or not _has_room_for_rate(f, 2 if how.k is None else 1) else (how.eta,)
    if how.k is None:
        return _bound(f, ("x", "y", "eta")[:2 + len(rate)], x, y, *rate)
    return _bound(f, ("mini_batch", "eta")[:1 + len(rate)], _pairs(x, y, how.examples), *rate)


def _pairs(x, y, examples: str) -> list:
    """A mini-batch as Nielsen's list of (x, y) pairs, split as ``examples`` says: rows or columns (a stack of
    columns: its items); one example (1-D, or one column of a stack) is one pair."""
    if len(getattr(x, "shape", ())) == (2 if examples == "stacked_columns" else 1):
        return [(x.copy(), y.copy())]
    if examples == "columns":
        return [(x[:, j:j + 1].copy(), y[:, j:j + 1].copy()) for j in range(x.shape[1])]
    if examples == "rows_2d":
        return [(x[j:j + 1].copy(), y[j:j + 1].copy()) for j in range(x.shape[0])]
    return [(x[j].copy(), y[j].copy()) for j in range(x.shape[0])]


def build(target: Callable, form: Form, weights: list, biases: list, grads: str, sizes: list[int],
          names: dict | None = None, eta: float | None = None, x=None, y=None):
    """The first argument of an update call: the parameters arranged as ``grads`` says, or for a METHOD the
    object ``make`` builds (given ``eta``, ``x`` and ``y`` where its expression takes them) with its parameters
    set."""
    if form.kind == FUNCTION:
        return arrange(weights, biases, grads)
    obj = make(target, form, sizes, names, eta, x, y)
    _set(obj, form, weights, biases)
    return obj


def handed_back(form: Form, args, out) -> tuple[str, object, bool]:
    """(mode, what to read the new parameters from, whether that is (weights, biases) lists): a METHOD's object
    is read after the call; None or the very list given back means in place, and so does a tuple whose first
    item is that list (``return weights, output, error`` after updating ``weights`` in place), or whose first
    items are the very arrays of a flat list given (``return w1, b1, w2, b2, error``, round 67's mnist_outer)."""
    if form.kind == METHOD:
        return IN_PLACE, (_got(args, form.attributes[0]), _got(args, form.attributes[1])), True
    led_by_args = isinstance(out, tuple) and (len(out) > 1 and out[0] is args or isinstance(args, list) and len(
        out) > len(args) > 0 and all(o is a for o, a in zip(out, args)))
    return (IN_PLACE, args, False) if out is None or out is args or led_by_args else (RETURNED, out, False)
