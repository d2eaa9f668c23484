"""Turn a failure into a diagnosis in the seed's notation, wherever the pattern allows one.

The patterns, in the order they are tried:
- structure: a transposed grad W^l, a column grad b^l, a layer too few or too many, a dtype change, a
  mutated input;
- a constant ratio candidate/reference across every layer: n_L (the 1/n_L in C), 2 (the 1/2), -1 (the
  sign of a - y), m or 1/m (mean versus sum over the batch);
- where in the backward pass it goes wrong: only hidden layers (the delta^l recurrence, sigma' of the wrong
  layer), grad W wrong while grad b is right (grad W^l = delta^l (a^{l-1})^T), a single element;
- which cases fail: only batches, only single examples, only width-1 layers, only deep nets, ...
"""

from __future__ import annotations

import numpy as np

from .results import DTYPE, LAYERS, MUTATION, NONFINITE, NOT_A_GRADIENT, RAISED, SHAPE, Failure, LayerValues

_CONSTANTS = [
    ("n_L", "every gradient is n_L = {v:g} times the reference: the 1/n_L of C = (1/n_L) sum_j 1/2 (a_j - y_j)^2 "
            "is missing from delta^L = (1/n_L)(a^L - y) * sigma'(z^L)"),
    ("1/n_L", "every gradient is 1/n_L = 1/{n_L} of the reference: the 1/n_L is applied twice"),
    ("2", "every gradient is twice the reference: the 1/2 in C = (1/n_L) sum_j 1/2 (a_j - y_j)^2 was dropped "
          "(d/da 1/2 (a - y)^2 = a - y, not 2(a - y))"),
    ("1/2", "every gradient is half the reference: a stray 1/2 (dC/da^L = (1/n_L)(a^L - y), with no 1/2 left)"),
    ("-1", "every gradient has the wrong sign: delta^L uses (y - a^L) instead of (a^L - y)"),
    ("m", "every gradient is m = {m} times the reference: the batch is summed, not averaged (a batch's gradient is "
          "the MEAN of its examples' gradients)"),
    ("1/m", "every gradient is 1/m = 1/{m} of the reference: the batch mean divides by m twice"),
]


def _constant_ratio(arrays: tuple[LayerValues, ...]) -> float | None:
    """The common ratio candidate/reference over all significant elements, when there is one."""
    ratios = []
    for v in arrays:
        for c, r, t in ((v.cand_W, v.ref_W, v.tol_W), (v.cand_b, v.ref_b, v.tol_b)):
            big = np.abs(r) > 1000 * t          # rounding moves these by < 1e-3 relative
            if big.any():
                ratios.append(c[big].astype(np.float64) / r[big])
    if not ratios:
        return None
    ratios = np.concatenate(ratios)
    if not np.all(np.isfinite(ratios)):
        return None
    med = float(np.median(ratios))
    if med == 0 or np.max(np.abs(ratios / med - 1)) > 1e-2:
        return None
    return med


def _constant_names(c: float | None, n_L: int, m: int) -> dict[str, str]:
    """Which named constants ``c`` matches for a case with these n_L and m: {key: explanation}."""
    if c is None:
        return {}
    values = {"n_L": n_L, "1/n_L": 1 / n_L, "2": 2, "1/2": 0.5, "-1": -1, "m": m, "1/m": 1 / m}
    out = {}
    for key, text in _CONSTANTS:
        if key in ("n_L", "1/n_L") and n_L == 1 or key in ("m", "1/m") and m <= 1:
            continue
        if abs(c / values[key] - 1) < 1e-2:
            out[key] = text.format(v=values[key], n_L=n_L, m=m)
    if abs(c - 1) > 1e-2:
        out["other"] = f"every gradient is {c:.6g} times the reference: a constant factor is wrong"
    return out


def _structural(f: Failure) -> str | None:
    if f.kind == SHAPE and f.array == "W":
        n, n_in = f.case.sizes[f.layer], f.case.sizes[f.layer - 1]
        if f.actual_shape == (n_in, n) and n != n_in:
            return (f"grad W^{f.layer} is transposed: grad W^l = delta^l (a^(l-1))^T has shape (n_l, n_(l-1)) = "
                    f"({n}, {n_in}), like W^l")
    if f.kind == SHAPE and f.array == "b" and len(f.actual_shape) == 2 and f.actual_shape[1] == 1:
        return f"grad b^{f.layer} is a column (n_l, 1): return delta^l as a 1-D vector of shape (n_l,), like b^l"
    if f.kind == SHAPE:
        return "a gradient has the wrong shape: each grad W^l must have W^l's shape and each grad b^l b^l's"
    if f.kind == LAYERS:
        return ("the number of layers is off: a loop over l = L, L-1, ..., 1 that stops early or starts late "
                "(grad W^1 = delta^1 x^T is the last one)")
    if f.kind == DTYPE:
        return ("the dtype changed: part of the computation ran in another precision (e.g. a float32 constant or "
                "array inside a float64 computation, or an integer division)")
    if f.kind == MUTATION:
        return "the candidate writes into its inputs (an in-place update such as W -= ... or x /= ...): copy first"
    if f.kind == RAISED:
        if f.cause == "died":
            return ("the candidate's process ended during a call (an exit such as os._exit, a crash such as a "
                    "segfault, or a kill): a gradient function must return its result")
        if f.cause == "garbage":
            return "the candidate wrote into the oracle's pipe: a gradient function must only return its result"
        if f.lost:
            return ("the candidate is too slow or hangs on this case: each call must return within the per-call "
                    "time limit (--time-limit); look for a loop that never ends or waits for input")
        if f.cause == "exit":
            return "the candidate calls sys.exit: a gradient function must return its result, not end the program"
        if f.cause == "state":
            return ("the candidate changes global state it does not own (np.seterr, np.seterrcall, JAX's x64 flag): "
                    "use a local context such as np.errstate or jax.enable_x64 instead")
        return "the candidate raised an exception on this case (see above)"
    if f.kind == NOT_A_GRADIENT:
        return "the candidate must return a list of (grad W^l, grad b^l) pairs of arrays, one per layer l = 1..L"
    return None


def _where(f: Failure) -> dict[str, str]:
    """Where the backward pass goes wrong in ``f``: {pattern: explanation} for hidden layers only, grad W only,
    grad b only, one element, non-finite values."""
    out = {}
    L = f.case.depth
    bad = sorted(f.bad_layers)
    if L > 1 and L not in bad and bad:
        out["hidden"] = (f"the output layer L = {L} is right but hidden layer(s) {', '.join(map(str, bad))} are "
                         "wrong: look at the delta^l recurrence delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) "
                         "(the W used and its transpose, sigma' of layer l rather than l+1)")
    W_bad = any(not np.all(np.abs(v.cand_W.astype(np.float64) - v.ref_W) <= v.tol_W) for v in f.arrays)
    b_bad = any(not np.all(np.abs(v.cand_b.astype(np.float64) - v.ref_b) <= v.tol_b) for v in f.arrays)
    if W_bad and not b_bad:
        out["W only"] = ("every grad b^l is right but some grad W^l is wrong: delta is right, so look at "
                         "grad W^l = delta^l (a^(l-1))^T (the activation of the layer below, a not z)")
    if b_bad and not W_bad:
        out["b only"] = ("every grad W^l is right but some grad b^l is wrong: grad b^l = delta^l (summed over the "
                         "batch, then divided by m like grad W)")
    if f.bad_elements == 1:
        out["one element"] = (f"exactly one element is wrong (layer {f.layer}, grad {f.array}"
                              f"[{', '.join(map(str, f.index))}]): an indexing slip or a special case")
    if f.kind == NONFINITE:
        out["nonfinite"] = ("the candidate produced NaN or inf where the reference is finite: an overflow (e.g. "
                            "exp(-z) for very negative z, or inf/inf in sigma') when units saturate")
    return out


def _features(counts: dict[str, tuple[int, int]], total: int, total_failed: int) -> list[str]:
    """Features that every failing case has while every case without them passes."""
    out = []
    for name, (failed, n) in counts.items():
        if total_failed and failed == total_failed and n < total:
            out.append(f"only cases with {name} fail ({failed} of {n} such cases; none of the "
                       f"{total - n} without it)")
    return out


def diagnose(f: Failure, counts: dict[str, tuple[int, int]], total_cases: int, total_failed: int,
             first: Failure | None = None) -> list[str]:
    """Plain-words hypotheses for why ``f`` (the shrunk failure) happened, most specific first.

    A value pattern is only claimed when it holds both in the shrunk case and in ``first`` (the failing case as
    drawn): a shrunk case is small enough for coincidences (with m = 2, "twice" could be "the sum over the
    batch"; with one element per array any ratio looks constant). ``counts`` maps each case feature to (failing
    cases with it, cases with it); ``total_cases`` and ``total_failed`` count the run's cases and failures.
    """
    first = first if first is not None and first.arrays else f
    lines = []
    s = _structural(f)
    if s:
        lines.append(s)
    if f.arrays:
        names = None
        for g in (f, first):
            found = _constant_names(_constant_ratio(g.arrays), g.case.sizes[-1], max(g.case.batch, 1))
            names = found if names is None else {k: v for k, v in found.items() if k in names}
        if names:
            key = next(iter(names))
            lines.append(_constant_names(_constant_ratio(first.arrays), first.case.sizes[-1],
                                         max(first.case.batch, 1))[key])
        else:
            here, there = _where(f), _where(first)
            lines += [text for key, text in here.items() if key in there]
    lines += _features(counts, total_cases, total_failed)
    if not lines:
        lines.append("no simple pattern: compare the reported element by hand, starting from the highest failing "
                     "layer (where the error enters the backward pass)")
    return lines
