"""One unit's own line, read against its layer's: a step right but at the rows of one unit j of layer l (W^l[j, :],
b^l_j, and what its delta sends down), where delta^l_j is the right one times a factor f. Code written out per
unit or per weight (``err[0] = err[2] * w * out[0] * (1 - out[2])``, round 46's adelms_m2; ``error_o2 = o1_out -
o2``, round 51's sk_m1) slips there: a sigma' that reads another activation v (a^l_j (1 - v), v (1 - a^l_j),
v (1 - v)); a hidden error read through another unit's weights, or missing one unit's term of the sum, or holding
one alone; an output error read with another unit's a or y. Each reading whose f matches the factor the step's
row moves by is checked by recomputing the whole step with it (``stepmistakes.fit_mistaken``, at the reproduction
tolerance), with a right update or with W^(l+1) updated before the delta below is computed (code written per
weight updates each weight as soon as its gradient is known: ``updated_next_first``); said only where one reading
reproduces every failing step tried of one example.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .stepmistakes import _Hypotheses, activations
from .steppatterns import SCATTER, common_ratio

KEY = "one_unit_line"       # the report's mistake key where a reading is named
UPDATED = "updated_next_first"
TINY = 1e-12                # an error or a term this small gives no factor to read


class Reading(NamedTuple):
    """Unit ``unit`` of layer ``layer`` (1..L) computes its delta with ``text`` in it; ``f``: the factor that
    makes of delta^l_j on the step read; ``updated``: with W^(l+1) updated before the delta below is computed."""

    layer: int
    unit: int
    text: str
    f: float
    updated: bool = False


def _name(l: int, i: int) -> str:
    return f"x_{i}" if l == 0 else f"a^{l}_{i}"


def _sigma_prime_readings(a: list, l: int, j: int) -> list[tuple[str, float]]:
    """(text, f) of unit j's sigma' with one factor, or both, another activation v of the network."""
    a_j = a[l][j]
    s = a_j * (1 - a_j)
    right = f"a^{l}_{j} (1 - a^{l}_{j})"
    out = []
    for k, layer in enumerate(a):
        for i, v in enumerate(layer):
            if (k, i) != (l, j):
                n = _name(k, i)
                out += [(f"its sigma' written {text} where {right} belongs", value / s) for text, value in (
                    (f"a^{l}_{j} (1 - {n})", a_j * (1 - v)), (f"{n} (1 - a^{l}_{j})", v * (1 - a_j)),
                    (f"{n} (1 - {n})", v * (1 - v)))]
    return out


def _output_error_readings(a: list, y: np.ndarray, j: int) -> list[tuple[str, float]]:
    """(text, f) of output unit j's error a^L_j - y_j written with another unit's a or y."""
    L, a_L = len(a) - 1, a[-1]
    e = a_L[j] - y[j]
    if abs(e) < TINY:
        return []
    right = f"a^{L}_{j} - y_{j}"
    out = [(f"its error's sign flipped, y_{j} - a^{L}_{j} where {right} belongs", -1.0)]
    for i in range(a_L.size):
        if i != j:
            out += [(f"its error written {text} where {right} belongs", value / e) for text, value in (
                (f"a^{L}_{i} - y_{j}", a_L[i] - y[j]), (f"a^{L}_{j} - y_{i}", a_L[j] - y[i]),
                (f"a^{L}_{i} - y_{i}", a_L[i] - y[i]))]
    return out


def _hidden_error_readings(terms: np.ndarray, other: np.ndarray, j: int, l: int, updated: bool
                           ) -> list[tuple[str, float]]:
    """(text, f) of hidden unit j's error e_j = sum_k W^(l+1)_kj delta^(l+1)_k read through unit i's weights, or
    missing unit k's term, or unit k's term alone, or through the W^(l+1) of the other base (``other``: its terms;
    the weights updated first where the base's are not, ``updated``: the reverse), or with its sign flipped;
    ``terms[k, i]``: W^(l+1)_ki delta^(l+1)_k."""
    e = terms.sum(axis=0)
    if abs(e[j]) < TINY:
        return []
    right = f"sum_k W^{l + 1}_k{j} delta^{l + 1}_k"
    when = ("W^(l+1) not yet updated, where every other unit reads it updated" if updated else
            "W^(l+1) already updated (W^(l+1) - eta grad W^(l+1)), where every other unit reads it as the forward "
            "pass used it")
    out = [(f"its error read through unit {i}'s weights, sum_k W^{l + 1}_k{i} delta^{l + 1}_k where {right} "
            "belongs", e[i] / e[j]) for i in range(e.size) if i != j]
    out += [(f"its error read through the {when}", other.sum(axis=0)[j] / e[j]),
            (f"its error's sign flipped, -{right} where {right} belongs", -1.0)]
    n = terms.shape[0]
    for k in range(n if n > 1 else 0):
        out.append((f"its error missing the term of unit {k} of layer {l + 1}, W^{l + 1}_{k}{j} delta^{l + 1}_{k}, "
                    f"of {right}", (e[j] - terms[k, j]) / e[j]))
        if n > 2:
            out.append((f"its error the term of unit {k} of layer {l + 1} alone, W^{l + 1}_{k}{j} "
                        f"delta^{l + 1}_{k}, where {right} belongs", terms[k, j] / e[j]))
    return out


def _W_used(W: np.ndarray, gW: np.ndarray, eta: float, updated: bool) -> np.ndarray:
    """The W the recurrence reads: W, or W - eta grad W where it is updated first."""
    return W - eta * gW if updated else W


def _activations(i) -> list[np.ndarray]:
    """a^0 = x, ..., a^L of the one example of the step inputs ``i`` (``StepInputs``)."""
    return [a[0] for a in activations(i.params, i.X[:1])]


def readings(i, g: list, l: int, j: int, updated: bool) -> list[Reading]:
    """Every reading of unit ``j`` of layer ``l``'s delta on the step inputs ``i`` (``StepInputs``, one example),
    from the gradient ``g`` of the base (right, or ``updated``)."""
    a, y = _activations(i), i.Y[0]
    out = _sigma_prime_readings(a, l, j)
    if l == len(i.params):
        out += _output_error_readings(a, y, j)
    else:
        W, W_other = (_W_used(i.params[l][0], g[l][0], i.eta, u) for u in (updated, not updated))
        out += _hidden_error_readings(W * g[l][1][:, None], W_other * g[l][1][:, None], j, l, updated)
    return [Reading(l, j, text, float(f), updated) for text, f in out if np.isfinite(f)]


def _gradient_with(i, g: list, r: Reading) -> list:
    """The base gradient ``g`` [(gW, gb)] of one example with delta^l_j times ``r.f``, sent down through the
    layers below as the base's recurrence sends it."""
    a = _activations(i)
    out = list(g)
    delta = g[r.layer - 1][1].copy()
    delta[r.unit] *= r.f
    for k in range(r.layer, 0, -1):
        out[k - 1] = (np.outer(delta, a[k - 1]), delta)
        if k > 1:
            W = _W_used(i.params[k - 1][0], out[k - 1][0], i.eta, r.updated)
            delta = W.T @ delta * a[k - 1] * (1 - a[k - 1])
    return out


def _reproduces(h: _Hypotheses, r: Reading) -> bool:
    """Whether the step with the base gradient but for ``r`` (a right update) reproduces the candidate's step
    ``h`` (``stepmistakes._Hypotheses``: its inputs, and the base gradients computed once)."""
    within, visible = h.fit_gradient(_gradient_with(h.i, h.right_gradient(r.updated), r))
    return within and visible


def _readings_of(h: _Hypotheses, l: int, j: int, bases=(False, True)) -> list[Reading]:
    """Every reading of unit ``j`` of layer ``l`` on the step ``h`` (of one example), on the ``bases``."""
    if l > len(h.i.params) or j >= h.i.params[l - 1][0].shape[0]:
        return []
    return [r for updated in bases for r in readings(h.i, h.right_gradient(updated), l, j, updated)]


def _row_ratio(h: _Hypotheses, l: int, j: int, updated: bool) -> float | None:
    """The one ratio of the candidate's move to the base's over row j of W^l and b^l_j, or None."""
    g = h.right_gradient(updated)[l - 1]
    (W, b), v = h.i.params[l - 1], h.result.failure.arrays[l - 1]
    triples = []
    for p, c, gr, t in ((W[j], v.cand_W[j], g[0][j], v.tol_W[j]), (b[j:j + 1], v.cand_b[j:j + 1], g[1][j:j + 1],
                                                                   v.tol_b[j:j + 1])):
        with np.errstate(all="ignore"):
            triples.append((np.asarray(c, np.float64) - p, -h.i.eta * gr, np.asarray(t)))
    return common_ratio(triples)


def _unit_apart(h: _Hypotheses, updated: bool) -> tuple[int, int] | None:
    """(l, j) where the candidate's step is apart from the base's step (right, or ``updated``) only in the rows
    of unit j at its highest such layer l, a layer of more than one unit; else None."""
    got = h.apart((), UPDATED if updated else None)
    if not got or not got[0]:
        return None
    top = max(l for l, _, _ in got[0])
    units = {ix[0] for l, _, ix in got[0] if l == top}
    n = h.i.params[top - 1][0].shape[0]
    return (top, units.pop()) if len(units) == 1 and n > 1 else None


def _one_step(h: _Hypotheses) -> list[Reading] | None:
    """The readings that reproduce one failing step apart from a base's step (right, or W^(l+1) updated first)
    in the rows of one unit alone at its highest layer apart, among those whose factor is the one that row moves
    by; None where no base shows such a unit or its row has no ratio to read (a float32 step that moves its
    weights by ~100 tolerances)."""
    out = None
    for updated in (False, True):
        if (unit := _unit_apart(h, updated)) is None or (rho := _row_ratio(h, *unit, updated)) is None:
            continue
        near = [r for r in _readings_of(h, *unit, (updated,)) if abs(r.f - rho) <= SCATTER * abs(rho)]
        out = (out or []) + [r for r in near if _reproduces(h, r)]
    return out


def _key(r: Reading) -> tuple:
    return r.updated, r.layer, r.unit, r.text


def found(results: list) -> list[Reading]:
    """The readings that reproduce every one of the failing steps ``results``, each a step of one example with
    values: found on the steps whose row gives a ratio to read, and checked on the others as they are; [] where
    any is not such a step, none has a ratio, or no reading reproduces them all. Those with a right update where
    there are some (two units of one layer, one reading W^(l+1) updated, are the other reading it not updated
    where the rest do: the first is one slip, the second two)."""
    if not results or any(r.failure is None or not r.failure.arrays or r.inputs is None
                          or np.atleast_2d(r.inputs[1]).shape[0] != 1 for r in results):
        return []
    common, unread = None, []
    for h in map(_Hypotheses, results):
        got = _one_step(h)
        if got is None:
            unread.append(h)
            continue
        here = {_key(r) for r in got}
        common = here if common is None else common & here
        if not common:
            return []
    for h in unread:
        common = {key for key in common or () if any(_key(r) == key and _reproduces(h, r)
                                                     for r in _readings_of(h, key[1], key[2], (key[0],)))}
    out = [Reading(l, j, text, 0.0, updated) for updated, l, j, text in sorted(common or ())]
    return [r for r in out if not r.updated] or out      # one slip rather than a slip and the update order


def mistakes(found_: list[Reading]) -> tuple[str, ...]:
    """The report's mistake keys of the readings ``found``."""
    return (KEY, UPDATED) if found_[0].updated else (KEY,)


def line(found_: list[Reading], steps: int, L: int) -> str:
    """The diagnosis line of the readings ``found`` on ``steps`` failing steps of L-layer nets."""
    r = found_[0]
    also = "; or equally " + "; or ".join(q.text if (q.layer, q.unit) == (r.layer, r.unit) else
                                           f"unit {q.unit} of layer {q.layer}: {q.text}" for q in found_[1:]) \
        if len(found_) > 1 else ""
    where = "output" if r.layer == L else "hidden"
    updated = (f" + {UPDATED}", ", with each W^(l+1) updated before the delta below it is computed (the update "
               "used W^{l+1} after updating it)") if r.updated else ("", "")
    return (f"[{KEY}{updated[0]}] {where} unit {r.unit} of layer {r.layer} alone: {r.text}{also} (recomputing the "
            f"step with that unit's delta so{updated[1]}, and every other line right, reproduces each of the "
            f"{steps} failing steps tried): a line written per unit and slipped in that unit's own line, where the "
            f"same line of its other units is right")
