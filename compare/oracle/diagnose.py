"""Turn a failure into a diagnosis in the seed's notation, claiming a cause only with evidence.

- Structure (a transposed grad W^l, a column grad b^l, a layer too few, a dtype change, a mutated input): the
  failure's own fields are the evidence, and the line names the mistake's key.
- Values: a catalogued mistake (``mistakes``) is named only when recomputing the gradient with it reproduces
  the candidate on the case as drawn and on the shrunk case; mistakes that reproduce only together are named
  together. Otherwise the lines say what pattern was seen (a constant ratio, per-layer constants, which arrays
  are wrong) and that no catalogued mistake reproduces it.
- Which cases fail: only batches, only n_L > 1, only deep nets, ...
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .mistakes import CATALOGUE, Fit
from .results import (
    DTYPE,
    FORWARD,
    LAYERS,
    MUTATION,
    NONFINITE,
    NOT_A_GRADIENT,
    RAISED,
    SHAPE,
    SIGMOID,
    Failure,
    LayerValues,
)

NO_MISTAKE = "no catalogued mistake reproduces this"


class Diagnosis(NamedTuple):
    """``lines`` for a person, most certain first; ``keys``: the mistakes named as certain (reproduced, or read
    from a structural failure's fields)."""

    lines: list[str]
    keys: tuple[str, ...]


def _ratio(pairs) -> float | None:
    """The common ratio candidate/reference over the significant elements of (cand, ref, tol) triples."""
    ratios = []
    for c, r, t in pairs:
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


def _triples(v: LayerValues):
    return ((v.cand_W, v.ref_W, v.tol_W), (v.cand_b, v.ref_b, v.tol_b))


def _constant_lines(f: Failure) -> list[str]:
    """The ratio candidate/reference of ``f``'s own values: one for every layer, or one per layer."""
    whole = _ratio([t for v in f.arrays for t in _triples(v)])
    if whole is not None:
        return [f"pattern seen on {f.case.describe()}: every gradient is {whole:.6g} times the reference "
                f"(n_L = {f.case.sizes[-1]}, m = {max(f.case.batch, 1)})"]
    per = [(l, _ratio(_triples(v))) for l, v in enumerate(f.arrays, start=1)]
    known = [f"layer {l}: {c:.6g}" for l, c in per if c is not None and abs(c - 1) > 1e-2]
    if known:
        return [f"pattern seen on {f.case.describe()}: per-layer ratio candidate/reference {'; '.join(known)} "
                f"(n_L = {f.case.sizes[-1]}, m = {max(f.case.batch, 1)}; other layers not a constant ratio)"]
    return []


def _structural(f: Failure) -> tuple[str | None, str] | None:
    """(key or None, line) for a structural failure, read from its fields."""
    if f.kind == FORWARD:
        return None, ("the public forward disagrees with the reference (its shape, dtype, or the cost its a^L "
                      "gives), while grad and cost, which use the internal forward pass, may agree")
    if f.kind == SIGMOID:
        return None, "the public sigmoid differs from sigma computed in long double beyond its error bound"
    if f.kind == SHAPE and f.array == "W":
        n, n_in = f.case.sizes[f.layer], f.case.sizes[f.layer - 1]
        if f.actual_shape == (n_in, n) and n != n_in:
            return "transpose_gradW", (f"[transpose_gradW] grad W^{f.layer} is transposed: grad W^l = delta^l "
                                       f"(a^(l-1))^T has shape (n_l, n_(l-1)) = ({n}, {n_in}), like W^l")
    if f.kind == SHAPE and f.array == "b" and len(f.actual_shape) == 2 and f.actual_shape[1] == 1:
        return "bias_column", (f"[bias_column] grad b^{f.layer} is a column (n_l, 1): return delta^l as a 1-D "
                               "vector of shape (n_l,), like b^l")
    if f.kind == SHAPE and f.actual_shape == () and f.expected_shape == (1,):
        return "width1_squeeze", (f"[width1_squeeze] grad {f.array}^{f.layer} of a width-1 layer is a 0-d scalar: "
                                  "np.squeeze (or a reduction) also dropped the unit axis; keep shape (n_l,) = (1,)")
    if f.kind == SHAPE:
        return None, "a gradient has the wrong shape: each grad W^l must have W^l's shape and each grad b^l b^l's"
    if f.kind == LAYERS:
        return "layer_skipped", ("[layer_skipped] the number of layers is off: a loop over l = L, L-1, ..., 1 that "
                                 "stops early or starts late (grad W^1 = delta^1 x^T is the last one)")
    if f.kind == DTYPE:
        return None, ("the dtype changed: part of the computation ran in another precision (e.g. a float32 constant "
                      "or array inside a float64 computation, or an integer division)")
    if f.kind == MUTATION:
        return "mutates_input", ("[mutates_input] the candidate writes into its inputs (an in-place update such as "
                                 "W -= ... or x /= ..., or a gradient buffer that is the parameter): copy first")
    if f.kind == RAISED:
        if f.cause == "died":
            return None, ("the candidate's process ended during a call (an exit such as os._exit, a crash such as "
                          "a segfault, or a kill): a gradient function must return its result")
        if f.cause == "garbage":
            return None, ("the candidate wrote into the oracle's pipe: a gradient function must only return its "
                          "result")
        if f.lost:
            return None, ("the candidate is too slow or hangs on this case: each call must return within the "
                          "per-call time limit (--time-limit); look for a loop that never ends or waits for input")
        if f.cause == "exit":
            return None, "the candidate calls sys.exit: a gradient function must return its result, not end the program"
        if f.cause == "state":
            return None, ("the candidate changes global state it does not own (np.seterr, np.seterrcall, JAX's x64 "
                          "flag): use a local context such as np.errstate or jax.enable_x64 instead")
        return None, "the candidate raised an exception on this case (see above): fix the crash first"
    if f.kind == NOT_A_GRADIENT:
        return None, "the candidate must return a list of (grad W^l, grad b^l) pairs of arrays, one per layer l = 1..L"
    return None


def _where(f: Failure) -> dict[str, str]:
    """Where the backward pass goes wrong in ``f``: {pattern: explanation}."""
    out = {}
    L = f.case.depth
    bad = sorted(f.bad_layers)
    if L > 1 and L not in bad and bad:
        out["hidden"] = (f"the output layer L = {L} is right but hidden layer(s) {', '.join(map(str, bad))} are "
                         "wrong: look at the delta^l recurrence delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l)")
    W_bad = any(not np.all(np.abs(v.cand_W.astype(np.float64) - v.ref_W) <= v.tol_W) for v in f.arrays)
    b_bad = any(not np.all(np.abs(v.cand_b.astype(np.float64) - v.ref_b) <= v.tol_b) for v in f.arrays)
    if W_bad and not b_bad:
        out["W only"] = ("every grad b^l is right but some grad W^l is wrong: delta is right, so look at "
                         "grad W^l = delta^l (a^(l-1))^T")
    if b_bad and not W_bad:
        out["b only"] = ("every grad W^l is right but some grad b^l is wrong: grad b^l = delta^l (summed over the "
                         "batch, then divided by m like grad W)")
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


def reproduced_line(fits: list[tuple[Fit, Fit]], first: Failure, shrunk: Failure) -> str:
    """The line naming a reproduced mistake (or mistakes together), with its evidence on both cases."""
    fd, fs = fits[0]
    keys = fd.keys
    where = f"the case as drawn (worst {fd.worst:.2g} of the reproduction tolerance)"
    if shrunk.case != first.case:
        where += f" and the shrunk case ({fs.worst:.2g})"
    if len(keys) == 1:
        text = f"[{keys[0]}] reproduced: {CATALOGUE[keys[0]].text}"
    else:
        parts = "; ".join(f"({i}) [{k}] {CATALOGUE[k].text}" for i, k in enumerate(keys, start=1))
        text = f"[{' + '.join(keys)}] reproduced together, {len(keys)} mistakes (none of them alone or fewer): {parts}"
    other = [" + ".join(fd.keys) for fd, _ in fits[1:]]
    also = f"; equally reproduced by {', '.join(other)}: a case that separates them is needed" if other else ""
    return f"{text} (recomputing the gradient with {'it' if len(keys) == 1 else 'them'} matches the candidate on " \
           f"{where}){also}"


def diagnose(f: Failure, counts: dict[str, tuple[int, int]], total_cases: int, total_failed: int,
             first: Failure | None = None, fits: list[tuple[Fit, Fit]] | None = None) -> Diagnosis:
    """Why ``f`` (the shrunk failure) happened, most certain first.

    ``first`` is the failing case as drawn; ``fits`` are the catalogued mistakes (or combinations) reproduced on
    both, as (fit on ``first``, fit on ``f``). ``counts`` maps each case feature to (failing cases with it,
    cases with it); ``total_cases`` and ``total_failed`` count the run's cases and failures. A value pattern
    without a reproduction is only reported when it holds in both the drawn and the shrunk case (a shrunk case
    is small enough for coincidences).
    """
    first = first if first is not None and first.arrays else f
    lines, keys = [], ()
    s = _structural(f)
    if s:
        key, line = s
        lines.append(line)
        keys = (key,) if key else ()
        batch_failed, batch_cases = counts.get("a batch (2-D x)", (0, -1))
        if f.kind == NOT_A_GRADIENT and batch_failed == total_failed == batch_cases:
            keys = ("returns_none_on_batch",)
            lines.insert(0, "[returns_none_on_batch] every batch (2-D x) fails to return a gradient and every single "
                            "example x (n_0,) is right: the batch form is not handled (x of shape (m, n_0), "
                            "a batch's gradient the mean of its examples')")
    if f.arrays:
        if fits:
            lines.append(reproduced_line(fits, first, f))
            keys = fits[0][0].keys if len(fits) == 1 else ()
        elif f.bad_elements == 1 and first.bad_elements == 1:
            keys = ("one_element",)
            lines.append(f"[one_element] exactly one element is wrong (layer {f.layer}, grad {f.array}"
                         f"[{', '.join(map(str, f.index))}]) in the drawn and the shrunk case, every other element "
                         "agrees: an indexing slip or a special case, not a mistake in the equations")
        else:
            lines += _constant_lines(first)
            if f.case != first.case:
                lines += _constant_lines(f)
            here, there = _where(f), _where(first)
            lines += [text for key, text in here.items() if key in there]
            lines.append(f"{NO_MISTAKE}: compare the reported element by hand, starting from the highest failing "
                         "layer (where the error enters the backward pass)")
    lines += _features(counts, total_cases, total_failed)
    return Diagnosis(lines, keys)
