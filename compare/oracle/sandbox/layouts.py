"""The conventions real backprop code uses for its arrays, both ways: the oracle's (params, x, y) into a
candidate's layout, and the candidate's gradients back into ours. Pure functions on plain data (NumPy arrays
and nested lists/tuples of them); nothing here calls candidate code.

Ours: params and gradients are a list of (W, b) pairs, W (n_l, n_{l-1}), b (n_l,); one example x (n_0,),
y (n_L,), or a batch X (m, n_0), Y (m, n_L). A ``Layout`` names what differs:

- ``weights``: ``"out_in"`` W (n_l, n_{l-1}), or ``"in_out"`` W transposed (n_{l-1}, n_l);
- ``biases``: ``"flat"`` (n_l,), ``"column"`` (n_l, 1) or ``"row"`` (1, n_l);
- ``examples``: ``"rows"`` x (n_0,) / X (m, n_0), or ``"columns"`` x (n_0, 1) / X (n_0, m);
- ``grads`` (how params go in and gradients come out): ``"pairs"`` [(W, b), ...], ``"pairs_bW"``
  [(b, W), ...], ``"lists"`` ([W, ...], [b, ...]) or ``"lists_bW"`` ([b, ...], [W, ...]);
- ``one_example``: the candidate handles one example per call (the cases drawn have no batch).
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import NamedTuple

import numpy as np

CHOICES = {"weights": ("out_in", "in_out"), "biases": ("flat", "column", "row"), "examples": ("rows", "columns"),
           "grads": ("pairs", "pairs_bW", "lists", "lists_bW")}

OPTIONS = {"weights": "--weights", "biases": "--biases", "examples": "--data", "grads": "--grads"}


@dataclasses.dataclass(frozen=True)
class Layout:
    """How a candidate's arrays are laid out (module docstring); the default is the oracle's own format."""

    weights: str = "out_in"
    biases: str = "flat"
    examples: str = "rows"
    grads: str = "pairs"
    one_example: bool = False

    def __post_init__(self):
        for field, allowed in CHOICES.items():
            value = getattr(self, field)
            if value not in allowed:
                raise ValueError(f"layout {field} must be one of {', '.join(allowed)}, got {value!r}")
        if not isinstance(self.one_example, bool):
            raise TypeError(f"layout one_example must be True or False, got {self.one_example!r}")

    def option(self, field: str) -> str:
        """The command-line option that sets ``field`` to this layout's value, e.g. ``--biases column``."""
        if field == "one_example":
            return "--one-example" if self.one_example else "(no --one-example)"
        return f"{OPTIONS[field]} {getattr(self, field).replace('_', '-')}"


DEFAULT = Layout()
PRESETS = {"nielsen": Layout(biases="column", examples="columns", grads="lists_bW", one_example=True)}


class Inputs(NamedTuple):
    """The oracle's case in a candidate's layout: ``weights`` and ``biases`` lists, ``x`` and ``y`` (fresh arrays)."""

    weights: list
    biases: list
    x: np.ndarray
    y: np.ndarray

    def params(self, grads: str):
        """The parameters arranged as ``grads`` says (``Layout.grads``): pairs or two lists, W or b first."""
        return arrange(self.weights, self.biases, grads)

    def arrays(self) -> list[np.ndarray]:
        """Every array handed over, in the order W^1, b^1, ..., W^L, b^L, x, y (for the mutation check)."""
        return [a for pair in zip(self.weights, self.biases) for a in pair] + [self.x, self.y]


def arrange(first: list, second: list, grads: str):
    """Two lists (weights, biases) arranged as ``grads`` says: pairs or two lists, the first or the second first."""
    if grads == "pairs":
        return list(zip(first, second))
    if grads == "pairs_bW":
        return list(zip(second, first))
    return (list(first), list(second)) if grads == "lists" else (list(second), list(first))


def _bias_out(b: np.ndarray, biases: str) -> np.ndarray:
    return {"flat": b, "column": b[:, None], "row": b[None, :]}[biases]


def to_candidate(params, x: np.ndarray, y: np.ndarray, layout: Layout = DEFAULT, copy: bool = True) -> Inputs:
    """Our ``(params, x, y)`` (the oracle's format) in ``layout``, as fresh arrays the candidate may keep (views
    of ours when ``copy`` is False: for a worker process, whose inputs are copied into shared memory anyway)."""
    weights = [W.T if layout.weights == "in_out" else W for W, _ in params]
    biases = [_bias_out(b, layout.biases) for _, b in params]
    if layout.examples == "columns":
        x, y = (x.T if x.ndim == 2 else x[:, None]), (y.T if y.ndim == 2 else y[:, None])
    if copy:
        return Inputs([W.copy() for W in weights], [b.copy() for b in biases], x.copy(), y.copy())
    return Inputs(weights, biases, x, y)


def _split(out, grads: str):
    """The candidate's output as (grad W list, grad b list) per ``grads``; None when its structure is not that."""
    if not isinstance(out, (list, tuple)):
        return None
    if grads in ("pairs", "pairs_bW"):
        if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in out):
            return None
        first, second = [p[0] for p in out], [p[1] for p in out]
    else:
        if len(out) != 2 or not all(isinstance(part, (list, tuple)) for part in out) or len(out[0]) != len(out[1]):
            return None
        first, second = list(out[0]), list(out[1])
    return (first, second) if grads in ("pairs", "lists") else (second, first)


def _weight_in(g, weights: str):
    return g.T if weights == "in_out" and isinstance(g, np.ndarray) and g.ndim == 2 else g


def _bias_in(g, biases: str):
    if biases == "flat" or not isinstance(g, np.ndarray) or g.ndim != 2:
        return g
    axis = 1 if biases == "column" else 0
    return g[:, 0] if axis == 1 and g.shape[1] == 1 else g[0] if axis == 0 and g.shape[0] == 1 else g


def from_candidate(out, layout: Layout = DEFAULT):
    """The candidate's gradients (nested lists/tuples of arrays) in our format, a list of (grad W, grad b) pairs,
    read as ``layout`` says; what does not fit the layout is passed on as it came, for the structural checks to
    name. The default layout returns ``out`` itself."""
    if layout == DEFAULT:
        return out
    split = _split(out, layout.grads)
    if split is None:
        return out
    return [(_weight_in(gW, layout.weights), _bias_in(gb, layout.biases)) for gW, gb in zip(*split)]


def _fits(out, layout: Layout, shapes: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> bool:
    split = _split(out, layout.grads)
    if split is None or len(split[0]) != len(shapes):
        return False
    for gW, gb, (sW, sb) in zip(*split, shapes):
        if not (isinstance(gW, np.ndarray) and isinstance(gb, np.ndarray)):
            return False
        if layout.weights == "in_out" and sW[0] != sW[1] and gW.shape == sW:
            return False          # an (n_l, n_{l-1}) array where the transpose was declared
        if _weight_in(gW, layout.weights).shape != sW or _bias_in(gb, layout.biases).shape != sb:
            return False
        if layout.biases != "flat" and gb.ndim != 2:
            return False
    return True


class Fix(NamedTuple):
    """A layout that reads the candidate's output with every shape right, and the fields it changes."""

    layout: Layout
    fields: tuple[str, ...]

    def hint(self) -> str:
        words = " ".join(self.layout.option(f) for f in self.fields)
        keywords = ", ".join(f"{f}={getattr(self.layout, f)!r}" for f in self.fields)
        return f"its gradients fit the layout {words} (in the library: layout=Layout({keywords}))"


def suggest(out, layout: Layout, shapes: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> Fix | None:
    """When the candidate's output does not fit ``layout`` but another layout reads it with every array of the
    right shape (``shapes``: ours, [(W^l.shape, b^l.shape)]), the one that changes fewest fields; else None."""
    if _fits(out, layout, shapes):
        return None
    best = None
    for w, b, g in itertools.product(CHOICES["weights"], CHOICES["biases"], CHOICES["grads"]):
        other = dataclasses.replace(layout, weights=w, biases=b, grads=g)
        changed = [f for f in ("weights", "biases", "grads") if getattr(other, f) != getattr(layout, f)]
        if changed and _fits(out, other, shapes) and (best is None or len(changed) < len(best[1])):
            best = (other, changed)
    if best is None:
        return None
    return Fix(best[0], tuple(best[1]))
