"""A hidden unit's activation copied from another unit's in the forward pass: recomputed, named where it reproduces.

Code written unit by unit (or weight by weight) computes each hidden activation on its own line, and a copied line
hands unit j the activation of unit i, ``h2 = sigmoid(z_h1)`` where ``sigmoid(z_h2)`` belongs (round 61's virg).
The layers above then read a^l_j = sigma(z^l_i), while the backward pass still takes unit j's sigma' of its own
z^l_j. Every (layer, i, j) of the nets' hidden layers is recomputed so, as a right step otherwise (the cost
convention's K, the update W - eta K grad W), and named only where one reproduces every failing step tried.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..reference.bound import UNIT_ROUNDOFF
from .stepmistakes import fit_mistaken, inputs_of, step_reproduction_tolerances

MAX_UNITS = 8          # the units of a hidden layer tried (code written unit by unit is small)
MAX_DEPTH = 4          # and the deepest net, and the most weights, tried (each try is a backward pass per step)
MAX_WEIGHTS = 100_000


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * z))          # never overflows


# A whole step's factor beside the copy, and the catalogued mistake it is (a published copy with a slip on top).
FACTORS = {1.0: None, 0.5: "stray_half", 2.0: "missing_half", -1.0: "plus_eta"}


class Copied(NamedTuple):
    """Unit ``j`` of hidden layer ``layer`` (1..L-1) takes unit ``i``'s activation in the forward pass; the step
    is ``factor`` times the right one of that net (``FACTORS``)."""

    layer: int
    i: int
    j: int
    factor: float = 1.0


def _gradient(params, X, Y, c: Copied) -> list:
    """The mean gradient [(gW, gb)] of the rows of X, Y when the forward pass hands a^l_j = sigma(z^l_i) up (l =
    ``c.layer``), unit j's sigma'(z^l_j) kept in the backward pass, float64."""
    acts, sps = [X], []
    for l, (W, b) in enumerate(params, start=1):
        z = acts[-1] @ W.T + b
        a = _sigmoid(z)
        sps.append(a * (1 - a))
        if l == c.layer:
            a = a.copy()
            a[:, c.j] = a[:, c.i]
        acts.append(a)
    delta = (acts[-1] - Y) / Y.shape[1] * sps[-1] / X.shape[0]
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ acts[l - 1], delta.sum(axis=0)))
        if l > 1:
            delta = delta @ params[l - 1][0] * sps[l - 2]
    return out[::-1]


def _reproduces(result, c: Copied) -> tuple[bool, bool]:
    """(within, visible) of the step with ``c`` on the failing ``result``."""
    i, tol_g = inputs_of(result)
    if c.layer >= len(i.params) or max(c.i, c.j) >= i.params[c.layer - 1][0].shape[0]:
        return False, False
    with np.errstate(all="ignore"):
        g = [(gW * i.k * c.factor, gb * i.k * c.factor) for gW, gb in _gradient(i.params, i.X, i.Y, c)]
        new = [(W - i.eta * gW, b - i.eta * gb) for (W, b), (gW, gb) in zip(i.params, g)]
    tol_m = step_reproduction_tolerances(i, tol_g, g)
    return fit_mistaken(result.got, new, i, g, tol_m, tol_g, i.eta, UNIT_ROUNDOFF[result.case.dtype])


def found(results: list) -> Copied | None:
    """The one copied activation that reproduces every failing step of ``results`` (each with its inputs) and
    changes some visibly; None where none does, or more than one does."""
    if not results or any(r.inputs is None or r.got is None for r in results):
        return None
    first = results[0].inputs[0]
    if len(first) > MAX_DEPTH or sum(np.size(W) for r in results for W, _ in r.inputs[0]) > MAX_WEIGHTS:
        return None
    widths = [min(W.shape[0], MAX_UNITS) for W, _ in first[:-1]]
    for f in FACTORS:                              # the copy alone first, then with a whole step's factor
        hits = []
        for c in (Copied(l, i, j, f) for l, n in enumerate(widths, start=1) for i in range(n) for j in range(n)
                  if i != j):
            fits = [_reproduces(r, c) for r in results]
            if all(w for w, _ in fits) and any(v for _, v in fits):
                hits.append(c)
        if hits:
            return hits[0] if len(hits) == 1 else None
    return None


def mistakes(c: Copied) -> tuple[str, ...]:
    """The report's keys of ``found``'s copy: the copy, and the whole step's factor's mistake where there is one."""
    return ("unit_activation_copied",) + ((FACTORS[c.factor],) if FACTORS[c.factor] else ())


def line(c: Copied, steps: int) -> str:
    """The diagnosis line of ``found``'s copy on ``steps`` failing steps."""
    keys = mistakes(c)
    why = {-1.0: "the error's sign flipped, or +eta", 0.5: "a factor 2 of the cost left out", 2.0: "a stray 2"}
    also = "" if len(keys) == 1 else (f", and the whole step {c.factor:g} times that net's right one ([{keys[1]}]: "
                                      f"{why[c.factor]})")
    return (f"[{' + '.join(keys)}] hidden unit {c.j} of layer {c.layer} takes unit {c.i}'s activation in the "
            f"forward pass: a^{c.layer}_{c.j} = sigma(z^{c.layer}_{c.i}) where sigma(z^{c.layer}_{c.j}) belongs (a "
            f"copied line, h{c.j + 1} = sigmoid(z_h{c.i + 1})), its sigma' and every other line right{also}; "
            f"recomputed, it reproduces each of the {steps} failing steps tried")
