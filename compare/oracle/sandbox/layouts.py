"""The conventions real backprop code uses for its arrays, both ways: the oracle's (params, x, y) into a
candidate's layout, and the candidate's gradients back into ours. Pure functions on plain data (NumPy arrays
and nested lists/tuples of them); nothing here calls candidate code.

Ours: params and gradients are a list of (W, b) pairs, W (n_l, n_{l-1}), b (n_l,); one example x (n_0,),
y (n_L,), or a batch X (m, n_0), Y (m, n_L). A ``Layout`` names what differs:

- ``weights``: ``"out_in"`` W (n_l, n_{l-1}), or ``"in_out"`` W transposed (n_{l-1}, n_l);
- ``biases``: ``"flat"`` (n_l,), ``"column"`` (n_l, 1) or ``"row"`` (1, n_l); or folded into W as its first
  column (``"folded_first"``: [b W], (n_l, 1 + n_{l-1}), the code prepends a 1 to each activation) or its last
  (``"folded_last"``: [W b]), transposed too under ``"in_out"``: the parameters are then one list of these
  matrices, in and out (``grads`` is not read), and each gradient matrix is split back into grad W and grad b;
  or ``"none"``: a network without biases, whose parameters and gradients are one list of W matrices (the cases
  drawn for it have b = 0, ``Case.biases``; its grad b is read as 0, and the reference's b is not compared:
  ``source``);
- ``examples``: ``"rows"`` x (n_0,) / X (m, n_0), ``"columns"`` x (n_0, 1) / X (n_0, m), ``"rows_2d"``
  rows always, one example too, x (1, n_0) and y (1, n_L) (row code whose b and its gradient are (1, n_l)
  rows adds ``biases="row"``), or ``"stacked_columns"`` each example a column, x (n_0, 1), and a batch a stack
  of them, X (m, n_0, 1), Y (m, n_L, 1) (code that loops over a batch's examples and computes in columns:
  X[i] is its column x);
- ``grads`` (how params go in and gradients come out): ``"pairs"`` [(W, b), ...], ``"pairs_bW"``
  [(b, W), ...], ``"lists"`` ([W, ...], [b, ...]), ``"lists_bW"`` ([b, ...], [W, ...]), or one flat
  sequence, ``"flat"`` [W^1, b^1, W^2, b^2, ...] (``return dW1, db1, dW2, db2``), ``"flat_bW"`` [b^1, W^1, ...] or
  ``"flat_Ws_bs"`` [W^1, W^2, ..., b^1, b^2, ...] (``return dW1, dW2, db1, db2``);
- ``grads_reversed``: the gradients come back output layer first, [layer L, ..., layer 1] (the parameters
  still go in layer 1 first);
- ``lists``: a gradient may come back as plain nested Python lists (of floats), read as arrays before the
  rest of the layout is applied (without it only the default layout reads them: a list has no shape to
  transpose or split);
- ``one_example``: the candidate handles one example per call (the cases drawn have no batch);
- ``batches_only``: the candidate cannot take one example: a one-example case goes to it as a batch of one,
  X (1, n_0) (or (n_0, 1) as columns), whose gradient is the same; the command line draws batches only;
- ``negated_bias``: the candidate subtracts its bias, z = W a - B (or feeds its bias unit -1): it is handed
  B = -b, and its B (or dC/dB) is negated back;
- ``no_bias``: the layers that have no bias (code that appends a bias unit to some layers' inputs only, e.g. to
  x and not to the hidden activations, or keeps a bias list whose first entry its forward pass never reads):
  layer numbers 1..L, negative ones counted from the output (-1 the output layer), or the words ``output`` and
  ``hidden``, comma-separated (``bare_layers``). The cases have b = 0 there and that grad b is not compared;
  with folded biases such a layer's W goes in and comes back bare, (n_l, n_{l-1}), read as ``"none"`` reads
  one; with separate biases its b goes in as the zeros it is.

Biases folded into W cross to a worker process as W, b pairs like any others, with an empty b (``NO_BIAS``,
size 0, as no real layer has): ``arrange`` leaves empty biases out, so the worker needs no layout to pass one
list of matrices.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import NamedTuple

import numpy as np

CHOICES = {"weights": ("out_in", "in_out"),
           "biases": ("flat", "column", "row", "folded_first", "folded_last", "none"),
           "examples": ("rows", "columns", "rows_2d", "stacked_columns"),
           "grads": ("pairs", "pairs_bW", "lists", "lists_bW", "flat", "flat_bW", "flat_Ws_bs")}
FOLDED = ("folded_first", "folded_last")
LAYER_WORDS = ("output", "hidden", "above-first")   # L; 1..L-1; 2..L (only the input carries a bias unit)

OPTIONS = {"weights": "--weights", "biases": "--biases", "examples": "--data", "grads": "--grads"}
FLAGS = {"grads_reversed": "--grads-reversed", "lists": "--lists", "one_example": "--one-example",
         "batches_only": "--batches-only", "negated_bias": "--negated-bias"}
WORDS = {"no_bias": "--no-bias-in"}                       # fields holding words of their own, not a choice


def bare_layers(no_bias: str, depth: int) -> tuple[int, ...]:
    """The layers (0-based) of a ``depth``-layer net that ``no_bias`` names as having no bias (``Layout``);
    ValueError for a word or number that names no layer of it."""
    out = set()
    for word in filter(None, (w.strip() for w in no_bias.split(","))):
        if word in LAYER_WORDS:
            out |= {"output": {depth - 1}, "hidden": set(range(depth - 1)), "above-first": set(range(1, depth))}[word]
            continue
        try:
            n = int(word)
        except ValueError:
            raise ValueError(f"a layer is a number 1..L (negative from the output) or one of "
                             f"{', '.join(LAYER_WORDS)}; got {word!r}") from None
        if not (1 <= n <= depth or -depth <= n <= -1):
            raise ValueError(f"layer {n} is not a layer of a {depth}-layer net")
        out.add(n - 1 if n > 0 else depth + n)
    return tuple(sorted(out))


@dataclasses.dataclass(frozen=True)
class Layout:
    """How a candidate's arrays are laid out (module docstring); the default is the oracle's own format."""

    weights: str = "out_in"
    biases: str = "flat"
    examples: str = "rows"
    grads: str = "pairs"
    one_example: bool = False
    grads_reversed: bool = False
    lists: bool = False
    batches_only: bool = False
    negated_bias: bool = False
    no_bias: str = ""
    reshaped: bool = False    # an array of the right size but not shape read in ours (a diagnosis's second look)

    def __post_init__(self):
        for field, allowed in CHOICES.items():
            value = getattr(self, field)
            if value not in allowed:
                raise ValueError(f"layout {field} must be one of {', '.join(allowed)}, got {value!r}")
        for field in FLAGS:
            if not isinstance(getattr(self, field), bool):
                raise TypeError(f"layout {field} must be True or False, got {getattr(self, field)!r}")
        if self.one_example and self.batches_only:
            raise ValueError("layout one_example and batches_only exclude each other: a candidate that takes one "
                             "example per call cannot be sent batches only")
        if self.no_bias:
            if self.biases == "none":
                raise ValueError("layout no_bias names the layers without a bias of a network that has some; "
                                 "biases='none' has none in any layer")
            bare_layers(self.no_bias, 1000)         # its words, checked at any depth (each case checks its own)

    def bare(self, depth: int) -> tuple[int, ...]:
        """The layers (0-based) of a ``depth``-layer net that have no bias: all of them under ``"none"``."""
        return tuple(range(depth)) if self.biases == "none" else bare_layers(self.no_bias, depth)

    @property
    def folded(self) -> bool:
        """Whether the biases are folded into W (``FOLDED``): one list of matrices instead of W, b pairs."""
        return self.biases in FOLDED

    @property
    def weights_only(self) -> bool:
        """Whether parameters and gradients are one list of matrices (biases folded into W, or none at all)."""
        return self.folded or self.biases == "none"

    def option(self, field: str) -> str:
        """The command-line option that sets ``field`` to this layout's value, e.g. ``--biases column``."""
        if field in FLAGS:
            return FLAGS[field] if getattr(self, field) else f"(no {FLAGS[field]})"
        if field in WORDS:
            return f"{WORDS[field]} {getattr(self, field)}" if getattr(self, field) else f"(no {WORDS[field]})"
        return f"{OPTIONS[field]} {getattr(self, field).replace('_', '-')}"


DEFAULT = Layout()
NO_BIAS = np.empty(0)          # the bias of a layer whose bias is folded into its W, or that has none (``Given``)
PRESETS = {"nielsen": Layout(biases="column", examples="columns", grads="lists_bW", one_example=True)}


class Given(NamedTuple):
    """The oracle's case in a candidate's layout: ``weights`` and ``biases`` lists (``NO_BIAS`` arrays where the
    biases are folded into the weights), ``x`` and ``y`` (fresh arrays)."""

    weights: list
    biases: list
    x: np.ndarray
    y: np.ndarray

    def params(self, grads: str):
        """The parameters arranged as ``grads`` says (``Layout.grads``): pairs or two lists, W or b first; one list
        of matrices where the biases are folded."""
        return arrange(self.weights, self.biases, grads)

    def arrays(self) -> list[np.ndarray]:
        """Every array handed over, in the order W^1, b^1, ..., W^L, b^L, x, y (for the mutation check)."""
        return [a for pair in zip(self.weights, self.biases) for a in pair] + [self.x, self.y]


def separate(biases: list) -> bool:
    """Whether ``biases`` are biases to pass beside the weights, not the ``NO_BIAS`` arrays of a folded layout
    (empty: no layer has a bias of size 0)."""
    return not biases or any(getattr(b, "size", 1) != 0 for b in biases)


def arrange(first: list, second: list, grads: str):
    """Two lists (weights, biases) arranged as ``grads`` says: pairs or two lists, the first or the second first;
    the first list alone when the second holds only ``NO_BIAS`` arrays (``separate``)."""
    if not separate(second):
        return list(first)
    if grads == "pairs":
        return list(zip(first, second))
    if grads == "pairs_bW":
        return list(zip(second, first))
    if grads in ("flat", "flat_bW"):
        ordered = zip(first, second) if grads == "flat" else zip(second, first)
        return [a for pair in ordered for a in pair]
    if grads == "flat_Ws_bs":
        return [*first, *second]
    return (list(first), list(second)) if grads == "lists" else (list(second), list(first))


def _bias_out(b: np.ndarray, biases: str) -> np.ndarray:
    return {"flat": b, "column": b[:, None], "row": b[None, :]}[biases]


def _fold(W: np.ndarray, b: np.ndarray, biases: str) -> np.ndarray:
    """[b W] or [W b]: the bias as W's first or last column."""
    return np.concatenate([b[:, None], W] if biases == "folded_first" else [W, b[:, None]], axis=1)


def _example(v: np.ndarray, layout: Layout) -> np.ndarray:
    """One example or a batch (rows, ours) in the layout's form of examples."""
    if layout.examples == "columns":
        return v.T if v.ndim == 2 else v[:, None]
    if layout.examples == "stacked_columns":
        return v[:, :, None] if v.ndim == 2 else v[None, :, None] if layout.batches_only else v[:, None]
    if v.ndim == 1 and (layout.examples == "rows_2d" or layout.batches_only):
        return v[None, :]
    return v


def to_candidate(params, x: np.ndarray, y: np.ndarray, layout: Layout = DEFAULT, copy: bool = True) -> Given:
    """Our ``(params, x, y)`` (the oracle's format) in ``layout``, as fresh arrays the candidate may keep (views
    of ours when ``copy`` is False: for a worker process, whose inputs are copied into shared memory anyway)."""
    if layout.negated_bias:                   # z = W a - B: the candidate's B is our -b
        params = [(W, -b) for W, b in params]
    if layout.weights_only:
        bare = layout.bare(len(params))
        weights = [W if l in bare else _fold(W, b, layout.biases) for l, (W, b) in enumerate(params)]
        biases = [NO_BIAS.astype(b.dtype) for _, b in params]
    else:
        weights = [W for W, _ in params]
        biases = [_bias_out(b, layout.biases) for _, b in params]
    weights = [W.T if layout.weights == "in_out" else W for W in weights]
    x, y = _example(x, layout), _example(y, layout)
    if copy:
        return Given([W.copy() for W in weights], [b.copy() for b in biases], x.copy(), y.copy())
    return Given(weights, biases, x, y)


def candidate_shape(layout: Layout, name: str, shape: tuple[int, ...], l: int = 1, depth: int = 1
                    ) -> tuple[int, ...]:
    """Our W or b ``shape`` of layer ``l`` (1-based) of a ``depth``-layer net as ``layout`` hands that array over
    (for messages; a folded layout's W has one more column, its b none of its own: returned as ours)."""
    if name == "W" and layout.folded and l - 1 not in layout.bare(depth):
        shape = (shape[0], shape[1] + 1)
    elif name == "b" and not layout.weights_only:
        shape = {"column": (shape[0], 1), "row": (1, shape[0])}.get(layout.biases, shape)
    return shape[::-1] if name == "W" and layout.weights == "in_out" else shape


def _split(out, layout: Layout):
    """The candidate's output as (grad W list, grad b list) per the layout's ``grads`` (one list of folded
    matrices and None when the biases are folded); None when its structure is not that."""
    if not isinstance(out, (list, tuple)):
        return None
    if layout.weights_only:
        return list(out), None
    grads = layout.grads
    if grads in ("pairs", "pairs_bW"):
        if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in out):
            return None
        first, second = [p[0] for p in out], [p[1] for p in out]
    elif grads in ("flat", "flat_bW", "flat_Ws_bs"):
        if len(out) % 2:
            return None
        half = len(out) // 2
        if grads == "flat_Ws_bs":
            first, second = list(out[:half]), list(out[half:])
        else:
            first, second = list(out[0::2]), list(out[1::2])
    else:
        if len(out) != 2 or not all(isinstance(part, (list, tuple)) for part in out) or len(out[0]) != len(out[1]):
            return None
        first, second = list(out[0]), list(out[1])
    return (first, second) if grads in ("pairs", "lists", "flat", "flat_Ws_bs") else (second, first)


def _array(g):
    """A plain nested list of numbers as an array; anything else as it came (for the checks to name)."""
    if not isinstance(g, (list, tuple)):
        return g
    try:
        a = np.asarray(g)
    except (ValueError, TypeError):
        return g
    return a if a.dtype.kind in "fiu" else g


def _weight_in(g, weights: str):
    return g.T if weights == "in_out" and isinstance(g, np.ndarray) and g.ndim == 2 else g


def _bias_in(g, layout: Layout):
    if layout.biases == "flat" or not isinstance(g, np.ndarray) or g.ndim != 2:
        return g
    axis = 1 if layout.biases == "column" else 0
    return g[:, 0] if axis == 1 and g.shape[1] == 1 else g[0] if axis == 0 and g.shape[0] == 1 else g


def _unfold(g, layout: Layout, bare: bool):
    """(grad W, grad b) from one folded gradient matrix (or one of a layer without a bias, ``bare``); the matrix
    itself as grad W when it is not one (its shape then fails the check of grad W)."""
    g = _weight_in(g, layout.weights)
    if bare:                                  # no bias: its gradient reads as 0 (``source`` does not compare it)
        ok = isinstance(g, np.ndarray) and g.ndim == 2 and g.dtype.kind == "f"
        return g, np.zeros(g.shape[0], g.dtype) if ok else None
    if not (isinstance(g, np.ndarray) and g.ndim == 2 and g.shape[1] >= 2):
        return g, None
    return (g[:, 1:], g[:, 0]) if layout.biases == "folded_first" else (g[:, :-1], g[:, -1])


def _placeholders_dropped(first: list, second: list | None) -> tuple[list, list | None]:
    """The two lists without their leading items that are None in both (a list indexed from 1, the input layer's
    item a placeholder: grads [None, dW1, dW2], [None, db1, db2]); a None among the layers stays, for the checks."""
    n = 0
    while n < len(first) - 1 and first[n] is None and (second is None or second[n] is None):
        n += 1
    return first[n:], None if second is None else second[n:]


def from_candidate(out, layout: Layout = DEFAULT):
    """The candidate's gradients (nested lists/tuples of arrays) in our format, a list of (grad W, grad b) pairs,
    read as ``layout`` says; what does not fit the layout is passed on as it came, for the structural checks to
    name. The default layout returns ``out`` itself."""
    if layout == DEFAULT:
        return out
    split = _split(out, layout)
    if split is None:
        return out
    first, second = _placeholders_dropped(*split)
    if layout.lists:
        first, second = [_array(g) for g in first], None if second is None else [_array(g) for g in second]
    if layout.grads_reversed:
        first, second = first[::-1], None if second is None else second[::-1]
    if second is None:
        bare = _bare_read(layout, len(first))
        return _negated([_unfold(g, layout, l in bare) for l, g in enumerate(first)], layout)
    return _negated([(_weight_in(gW, layout.weights), _bias_in(gb, layout)) for gW, gb in zip(first, second)], layout)


def _bare_read(layout: Layout, depth: int) -> tuple[int, ...]:
    """``layout.bare(depth)`` for reading ``depth`` layers back; () where ``no_bias`` names no layer of that many
    (a count of layers the checks then name)."""
    try:
        return layout.bare(depth)
    except ValueError:
        return ()


def _negated(pairs: list, layout: Layout) -> list:
    """``pairs`` with each bias (or its gradient) negated back where the candidate subtracts its bias
    (``negated_bias``: its B is our -b, dC/dB = -dC/db); what is not an array of numbers is left for the checks."""
    if not layout.negated_bias:
        return pairs
    return [(gW, -gb if isinstance(gb, np.ndarray) and gb.dtype.kind in "fiu" else gb) for gW, gb in pairs]


def _fits(out, layout: Layout, shapes: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> bool:
    split = _split(out, layout)
    if split is None or len(split[0]) != len(shapes):
        return False
    if layout.biases in ("column", "row"):
        given = [_array(gb) for gb in split[1]] if layout.lists else split[1]
        if not all(isinstance(gb, np.ndarray) and gb.ndim == 2 for gb in given):
            return False          # a flat bias gradient read as fitting a layout of 2-D biases
    read = from_candidate(out, layout)
    if not isinstance(read, (list, tuple)) or len(read) != len(shapes):
        return False
    for pair, (sW, sb) in zip(read, shapes):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            return False
        gW, gb = pair
        if not (isinstance(gW, np.ndarray) and isinstance(gb, np.ndarray) and gW.shape == sW and gb.shape == sb):
            return False
    return True


class Fix(NamedTuple):
    """A layout that reads the candidate's output with every shape right, and the fields it changes."""

    layout: Layout
    fields: tuple[str, ...]

    def words(self) -> str:
        """The options that declare it, e.g. ``--biases folded-last --no-bias-in output``."""
        return " ".join(self.layout.option(f) for f in self.fields)

    def keywords(self) -> str:
        """The same as ``Layout`` keywords, e.g. ``biases='folded_last', no_bias='output'``."""
        return ", ".join(f"{f}={getattr(self.layout, f)!r}" for f in self.fields)

    def hint(self) -> str:
        return f"its gradients fit the layout {self.words()} (in the library: layout=Layout({self.keywords()}))"

    def meaning(self) -> str:
        """What the changed fields say of the candidate's arrays, where words say more than the options."""
        return "; ".join(m for f in self.fields if (m := _MEANING.get((f, getattr(self.layout, f)))))

    def line(self, what: str) -> str:
        """The diagnosis line of a probe under which every failing ``what`` ("case", "step") tried agrees."""
        return (f"every failing {what} tried agrees when the candidate is given {self.words()}"
                + (f" ({m})" if (m := self.meaning()) else "") + ": its layout or bias convention, not its math, "
                "is what fails with the options given; rerun with that option")


_MEANING = {("weights", "in_out"): "W transposed, (n_(l-1), n_l)", ("weights", "out_in"): "W as (n_l, n_(l-1))",
            ("biases", "column"): "b a column (n_l, 1)", ("biases", "row"): "b a row (1, n_l)",
            ("biases", "flat"): "b as (n_l,)", ("biases", "none"): "a network without biases",
            ("biases", "folded_first"): "b folded into W as its first column, [b W]",
            ("biases", "folded_last"): "b folded into W as its last column, [W b]",
            ("examples", "rows"): "examples as rows, x (n_0,), X (m, n_0)",
            ("examples", "columns"): "examples as columns, x (n_0, 1), X (n_0, m)",
            ("examples", "rows_2d"): "one example as a row too, x (1, n_0), y (1, n_L)",
            ("examples", "stacked_columns"): "each example a column, x (n_0, 1) and y (n_L, 1), a batch a stack of "
                                             "them, (m, n_0, 1) and (m, n_L, 1)",
            ("negated_bias", True): "the bias subtracted, z = W a - B, or a bias unit fed -1",
            ("negated_bias", False): "the bias added, z = W a + b"}


def variants(layout: Layout, fields: tuple[str, ...], choices: dict[str, tuple] | None = None) -> list[Fix]:
    """Every layout that differs from ``layout`` in some of ``fields`` (``choices`` of each, default ``CHOICES``
    or True/False for a flag), each folded one also with its output, then its hidden, layers without a bias
    (``no_bias``), fewest changed fields first: the layouts a probe tries."""
    choices = choices or {}
    out = []
    for values in itertools.product(*(choices.get(f) or CHOICES.get(f, (False, True)) for f in fields)):
        base = dataclasses.replace(layout, **dict(zip(fields, values)), no_bias="")
        bare = [dataclasses.replace(base, no_bias=w) for w in LAYER_WORDS] if base.folded else []
        for other in (base, *bare):
            changed = tuple(f for f in (*fields, "no_bias") if getattr(other, f) != getattr(layout, f))
            if changed:
                out.append(Fix(other, changed))
    return sorted(out, key=lambda fix: len(fix.fields))


def bias_forms(layout: Layout) -> list[Fix]:
    """The layouts that change what the network's biases are, not where its arrays lie: the bias's sign flipped
    (``negated_bias``), then, where the declared layout says every layer has one, layer 1, the output layer, the
    hidden layers without one (``no_bias``). Code of another bias form computes another network, so its values
    fail everywhere, no mistake reproduces them, and these are what a probe of values tries."""
    fixes = [Fix(dataclasses.replace(layout, negated_bias=not layout.negated_bias), ("negated_bias",))]
    if layout.biases != "none" and not layout.no_bias:
        fixes += [Fix(dataclasses.replace(layout, no_bias=w), ("no_bias",)) for w in ("1", *LAYER_WORDS)]
    return fixes


def _holds_lists(out) -> bool:
    """Whether the output holds a list or tuple two levels down (where a layout's arrays are: a pair's member,
    a list's member, or a folded matrix's row)."""
    return any(isinstance(g, (list, tuple)) for part in out if isinstance(part, (list, tuple)) for g in part)


SUGGESTED = ("weights", "biases", "grads", "grads_reversed", "lists")   # the fields an output's shapes can tell


def suggest(out, layout: Layout, shapes: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> Fix | None:
    """When the candidate's output does not fit ``layout`` but another layout reads it with every array of the
    right shape (``shapes``: ours, [(W^l.shape, b^l.shape)]), the one that changes fewest fields; else None.
    Only the fields an output shows are tried (``SUGGESTED``; how examples go in is ``check``'s probing); shapes
    do not tell a bias folded first from one folded last (the first is named; the values tell them apart)."""
    if not isinstance(out, (list, tuple)) or _fits(out, layout, shapes):
        return None
    fixed = {}
    if len(shapes) == 1:                                     # one layer: no order to tell
        fixed["grads_reversed"] = (layout.grads_reversed,)
    if not _holds_lists(out):                                # no plain list to read as an array
        fixed["lists"] = (layout.lists,)
    return next((fix for fix in variants(layout, SUGGESTED, fixed) if _fits(out, fix.layout, shapes)), None)
