"""The element-by-element comparison of a candidate's gradients (and cost) with the reference.

``worst_ratios`` screens a whole chunk at once; only a case that fails it is examined element by element by
``compare_case`` for the report. ``compare_layers`` is that examination, for steps (``stepcheck``) too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..cases.cases import Case
from ..reference.engine import LayerReference, Reference
from .results import COST, NONFINITE, VALUE, Failure, LayerValues


def worst_ratios(mats, outputs, ref: Reference) -> np.ndarray:
    """Every case's largest |candidate - reference| / tolerance over all its elements (inf when a candidate value
    is not finite); NaN for cases without arrays (structural failures)."""
    cand, refs, tols, starts, owners = [], [], [], [], []
    pos = 0
    for k, ((params, _, _), arrays) in enumerate(zip(mats, outputs)):
        if arrays is None:
            continue
        starts.append(pos)
        owners.append(k)
        for l, (W, _) in enumerate(params):
            r = ref.layer(k, l)
            refs += [r.W.ravel(), r.b]
            tols += [r.tol_W.ravel(), r.tol_b]
            pos += W.size + W.shape[0]
        cand += [a.ravel() for a in arrays]
    worst = np.full(len(outputs), np.nan)
    if not owners:
        return worst
    # One buffer, worked on in place: a chunk of large cases holds millions of elements, and every pass over them
    # counts. A ratio is 0 where the values agree exactly (also where the tolerance is 0), and a NaN (a value that
    # is not finite) propagates through the maximum to its case, which then reads inf.
    d = np.concatenate(cand, dtype=np.float64, casting="unsafe")
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        np.subtract(d, np.concatenate(refs, dtype=np.float64, casting="unsafe"), out=d)
        np.abs(d, out=d)
        np.divide(d, np.concatenate(tols), out=d, where=d != 0)
    reduced = np.maximum.reduceat(d, starts)
    reduced[np.isnan(reduced)] = np.inf
    worst[owners] = reduced
    return worst


def compare_case(case: Case, params, arrays, ref: Reference, k: int) -> tuple[float, Failure | None]:
    """Element-wise check of one case's candidate ``arrays`` [grad W^1, grad b^1, ...] against slot ``k`` of the
    reference: (worst ratio, None) or the value Failure (``compare_layers``)."""
    pairs = [(arrays[2 * l], arrays[2 * l + 1]) for l in range(len(params))]
    return compare_layers(case, pairs, [ref.layer(k, l) for l in range(len(params))], GRADIENT)


class Wording(NamedTuple):
    """How a compared array is named in a failure: ``prefix`` ("grad" or "new") and the reference's label, with
    ``{name}`` for W or b."""

    prefix: str
    reference: str


GRADIENT = Wording("grad", "reference")
STEP = Wording("new", "reference {name} - eta grad {name} =")


def left_out(refs: list, pairs: list) -> list[LayerReference]:
    """``refs`` (one ``LayerReference`` per layer) with an infinite tolerance on each array whose entry in
    ``pairs`` (a candidate's (W-like, b-like) per layer) is None: not compared, as ``--biases none`` leaves b out
    (the arrays beside a wrong shape, ``candidate.Read.partial``)."""
    def tol(t, a):
        return t if a is not None else np.full_like(t, np.inf)
    return [LayerReference(r.W, r.b, tol(r.tol_W, cW), tol(r.tol_b, cb)) for (cW, cb), r in zip(pairs, refs)]


def compare_layers(case: Case, got: list, refs: list, wording: Wording = GRADIENT) -> tuple[float, Failure | None]:
    """Every element of ``got`` [(W-like, b-like) per layer] against ``refs`` (per layer: ``W``, ``b``, ``tol_W``,
    ``tol_b``, float64): (worst ratio over the agreeing arrays, None), or the Failure naming the worst element
    of the highest failing layer (where the error enters the backward pass), with every layer's values for the
    diagnosis. The one element-wise comparer, for gradients and steps alike."""
    worst, bad_layers, details = 0.0, [], []
    bad_total = total = 0
    top = None
    nonfinite = []       # per array with NaN or inf: (layer, name, index, value) of its first, and how many
    for l, ((cW, cb), r) in enumerate(zip(got, refs), start=1):
        details.append(LayerValues(cW, r.W, r.tol_W, cb, r.b, r.tol_b))
        for c, rv, t, name in ((cW, r.W, r.tol_W, "W"), (cb, r.b, r.tol_b, "b")):
            with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                d = np.abs(c.astype(np.float64) - rv)
                ratio = np.where(d == 0, 0.0, d / t)
            ratio[np.isnan(ratio)] = np.inf
            bad = ratio > 1.0
            total += int(np.count_nonzero(~np.isinf(t) | bad))   # an infinite tolerance: not compared (no biases),
            #                                                      unless NaN there: it fails, and is counted
            if not bad.any():
                worst = max(worst, float(ratio.max(initial=0.0)))
                continue
            if not np.isfinite(c).all():
                i = np.unravel_index(int(np.argmax(~np.isfinite(c))), c.shape)
                nonfinite.append((l, name, tuple(int(k) for k in i), float(c[i]), int(np.sum(~np.isfinite(c)))))
            bad_total += int(bad.sum())
            if l not in bad_layers:
                bad_layers.append(l)
            idx = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            top = (l, name, tuple(int(i) for i in idx), float(c[idx]), float(rv[idx]), float(t[idx]),
                   float(ratio[idx]))
    if top is None:
        return worst, None
    layer, name, idx, cv, rv, tv, rt = top
    what = "is not finite" if not np.isfinite(cv) else f"differs by {rt:.3g} x its tolerance"
    msg = (f"layer {layer}: {wording.prefix} {name}[{', '.join(map(str, idx))}] {what} (candidate {cv:.17g}, "
           f"{wording.reference.format(name=name)} {rv:.17g}, tolerance {tv:.3g})")
    if nonfinite and np.isfinite(cv):        # the worst element shown is finite: say where the NaN or inf is
        nl, nn, ni, nv, _ = nonfinite[0]
        msg += (f"; {sum(n[4] for n in nonfinite)} elements are NaN or inf, the first: layer {nl}: {wording.prefix} "
                f"{nn}[{', '.join(map(str, ni))}] = {nv}")
    return worst, Failure(case, NONFINITE if nonfinite else VALUE, msg, layer=layer, array=name, index=idx,
                          candidate=cv, reference=rv, tolerance=tv, ratio=rt, bad_elements=bad_total,
                          total_elements=total, bad_layers=tuple(bad_layers), arrays=tuple(details))


def compare_cost(case: Case, c: float | str, ref: Reference, k: int) -> Failure | None:
    """The candidate's cost ``c`` (or, as a string, what went wrong computing it: "raised ValueError: ...",
    "called sys.exit(0)") against the reference's, within its tolerance."""
    C, tol = ref.cost(k)
    if isinstance(c, str):
        return Failure(case, COST, f"cost: {c}"[:300])
    if not abs(c - C) <= tol:
        return Failure(case, COST, f"cost is {c:.17g}, reference {C:.17g} (tolerance {tol:.3g})",
                       candidate=c, reference=C, tolerance=tol, ratio=abs(c - C) / tol)
    return None


def apart(first, second, tol) -> bool:
    """Whether two results of one call differ beyond ``tol`` (an array or a number) somewhere, or one is NaN where
    the other is not: more than the roundings' difference between two runs of the same call."""
    a, b = np.asarray(first, np.float64), np.asarray(second, np.float64)
    with np.errstate(invalid="ignore"):
        return bool(np.any(np.abs(a - b) > np.asarray(tol, np.float64)) or np.any(np.isnan(a) != np.isnan(b)))
