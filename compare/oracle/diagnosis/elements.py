"""One wrong element's own line: code written weight by weight (w1 ... w6, each derivative on its own line)
makes a mistake in one element's gradient alone, which no mistake of whole arrays reproduces. The lines that
element could have computed instead, from the seed's forward and backward pass, are recomputed and matched to
the candidate's element on every failing case given.

A case is read in the reference's own units: the candidate's value (a gradient, or a step's move from W) is
matched to the reference's value times alternative / seed, where seed is the seed's gradient element recomputed
here; so a declared --scale, a step's eta and its sign need no handling of their own.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

MATCH = 4.0           # the element's tolerance times this: the reproduction tolerance (``mistakes.fit``'s safety)
SEEN = 1e-12          # a seed element smaller than this, relative to its array's largest, gives no ratio


class Element(NamedTuple):
    """A case's one failing element, in the seed's layout: ``layer`` 1..L, ``array`` "W" or "b", ``index``
    (j, k) or (j,), and the candidate's, the reference's and the tolerance's value there."""

    layer: int
    array: str
    index: tuple[int, ...]
    cand: float
    ref: float
    tol: float


class Line(NamedTuple):
    """A line an element could have computed: ``key`` (the same on every case it explains), ``words``."""

    key: str
    words: str


def only_element(arrays, params) -> Element | None:
    """The one element over its tolerance among a failure's ``arrays`` (``LayerValues`` per layer, W and b), as
    an ``Element``; None where none or more than one is (``params`` gives the seed layout's shapes)."""
    found = []
    for l, v in enumerate(arrays, start=1):
        for name, c, r, t in (("W", v.cand_W, v.ref_W, v.tol_W), ("b", v.cand_b, v.ref_b, v.tol_b)):
            c64, r64 = np.asarray(c, np.float64), np.asarray(r, np.float64)
            if c64.shape != r64.shape:
                return None
            with np.errstate(all="ignore"):
                bad = ~(np.abs(c64 - r64) <= np.asarray(t, np.float64))
            found += [(l, name, tuple(int(i) for i in ix), float(c64[ix]), float(r64[ix]), float(np.asarray(t)[ix]))
                      for ix in zip(*np.nonzero(bad))]
            if len(found) > 1:
                return None
    return Element(*found[0]) if len(found) == 1 and len(params) >= found[0][0] else None


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _passes(params, X: np.ndarray, Y: np.ndarray):
    """a^0..a^L, z^1..z^L (zs[l - 1]), dC/da^l and delta^l (index l) of the seed's mean cost, float64."""
    acts, zs = [X], []
    for W, b in params:
        zs.append(acts[-1] @ W.T + b)
        acts.append(_sigmoid(zs[-1]))
    L = len(params)
    pre, delta = [None] * (L + 1), [None] * (L + 1)
    pre[L] = (acts[L] - Y) / Y.shape[1]
    delta[L] = pre[L] * acts[L] * (1 - acts[L])
    for l in range(L - 1, 0, -1):
        pre[l] = delta[l + 1] @ params[l][0]
        delta[l] = pre[l] * acts[l] * (1 - acts[l])
    return acts, zs, pre, delta


def _lines(params, X: np.ndarray, Y: np.ndarray, e: Element) -> tuple[float, list[tuple[Line, float]]]:
    """(the seed's value of ``e``'s gradient element, [(a line it could have computed instead, its value)])."""
    acts, zs, pre, delta = _passes(params, X, Y)
    l, j = e.layer, e.index[0]
    a, z = acts[l][:, j], zs[l - 1][:, j]
    s = _sigmoid(a)
    deltas = [(Line("element_sigma_prime_of_a", "sigma' taken at the activation, sigma(a)(1 - sigma(a)), where "
                    "a(1 - a) belongs"), pre[l][:, j] * s * (1 - s)),
              (Line("element_missing_sigma_prime", "sigma'(z) left out"), pre[l][:, j]),
              (Line("element_sigma_prime_of_z", "sigma' written z(1 - z) with the pre-activation, where a(1 - a) "
                    "belongs"), pre[l][:, j] * z * (1 - z))]
    others = [(Line("element_other_unit", f"the delta of unit {i} where unit {j}'s belongs"), delta[l][:, i])
              for i in range(delta[l].shape[1]) if i != j]
    d = delta[l][:, j]
    others.append((Line("element_sign", "its sign flipped (y - a where a - y belongs, or a minus sign lost on "
                        "that element's line)"), -d))
    if l < len(params):                  # dC/da^l_j sums a term per unit i above: one of them left out
        W_up = params[l][0]
        others += [(Line("element_term_missing", f"the term through unit {i} of layer {l + 1} left out of the sum "
                         f"dC/da^{l}_{j} = sum_i delta^{l + 1}_i w^{l + 1}_i{j}"),
                    (pre[l][:, j] - delta[l + 1][:, i] * W_up[i, j]) * a * (1 - a))
                   for i in range(W_up.shape[0]) if W_up.shape[0] > 1]
    if e.array == "b":
        inputs = [(Line("element_times_input", f"times input {k}, a^{l - 1}_{k}, where a bias's line has no input"),
                   d * acts[l - 1][:, k]) for k in range(acts[l - 1].shape[1])]
        return float(d.mean()), [(line, float(v.mean())) for line, v in deltas + others + inputs]
    k = e.index[1]
    x = acts[l - 1][:, k]
    inputs = [(Line("element_other_input", f"input {i}, a^{l - 1}_{i}, where input {k}'s belongs"),
               d * acts[l - 1][:, i]) for i in range(acts[l - 1].shape[1]) if i != k]
    inputs.append((Line("element_input_missing", f"the input a^{l - 1}_{k} left out (delta alone)"), d))
    if l > 1:
        inputs.append((Line("element_input_z", f"the input's pre-activation z^{l - 1}_{k} where its activation "
                            f"a^{l - 1}_{k} belongs"), d * zs[l - 2][:, k]))
    return float((d * x).mean()), [(line, float((v * x).mean())) for line, v in deltas + others] + \
        [(line, float(v.mean())) for line, v in inputs]


def explain(cases: list[tuple[list, np.ndarray, np.ndarray, Element]]) -> Line | None:
    """The one line, the same on every case (params, X, Y in the seed's layout, and its one failing element),
    that reproduces each candidate element and is visibly not the seed's; None where none does."""
    common: dict[Line, int] | None = None
    for params, X, Y, e in cases:
        p64 = [(np.asarray(W, np.float64), np.asarray(b, np.float64)) for W, b in params]
        X64, Y64 = np.atleast_2d(np.asarray(X, np.float64)), np.atleast_2d(np.asarray(Y, np.float64))
        with np.errstate(all="ignore"):
            seed, lines = _lines(p64, X64, Y64, e)
        if not np.isfinite(seed) or abs(seed) < SEEN * max(abs(e.ref), 1e-300) or not np.isfinite(e.cand):
            return None
        here = {}
        for line, value in lines:
            predicted = e.ref * value / seed
            if abs(e.cand - predicted) <= MATCH * e.tol * max(1.0, abs(value / seed)) \
                    and abs(predicted - e.ref) > e.tol:
                here[line] = 1
        common = here if common is None else {k: 1 for k in common if k in here}
        if not common:
            return None
    return next(iter(common)) if common and len(common) == 1 else None


def named(cases: list[tuple[list, np.ndarray, np.ndarray, Element]], shown: int = -1) -> tuple[str, str] | None:
    """(key, diagnosis line) of the one line that ``explain`` finds on ``cases``, shown at the element of case
    ``shown``; None where none is found."""
    line = explain(cases) if cases else None
    return None if line is None else (line.key, sentence(line, cases[shown][3], len(cases)))


def sentence(line: Line, e: Element, cases: int) -> str:
    """The diagnosis line naming ``line`` for the element ``e``."""
    where = f"grad {e.array}^{e.layer}[{', '.join(map(str, e.index))}]"
    return (f"[{line.key}] only {where} is wrong, on each of {cases} failing case(s), and recomputing it with "
            f"{line.words} reproduces the candidate there: code written weight by weight, that element's own line "
            "(every other element agrees)")
