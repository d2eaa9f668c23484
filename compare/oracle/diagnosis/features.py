"""Case features, for lines such as "only cases with a batch fail"; and a value failure's errors measured array
by array (``array_errors``), for the diagnosis's patterns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case
from ..verdict.results import RAISED, SHAPE, Failure, Result

FEATURES: dict[str, Callable[[Case], bool]] = {
    "a single 1-D example": lambda c: c.batch == 0,
    "a batch (2-D x)": lambda c: c.batch >= 1,
    "a batch of m > 1 examples": lambda c: c.batch > 1,
    "a layer of width 1": lambda c: 1 in c.sizes,
    "no layer of width 1": lambda c: 1 not in c.sizes,
    "n_L > 1 (several output units)": lambda c: c.sizes[-1] > 1,
    "depth 1 (no hidden layer)": lambda c: c.depth == 1,
    "depth >= 2": lambda c: c.depth >= 2,
    "depth >= 3": lambda c: c.depth >= 3,
    "a layer wider than 32": lambda c: max(c.sizes) > 32,
    "a square layer (n_l == n_{l-1})": lambda c: any(a == b for a, b in zip(c.sizes, c.sizes[1:])),
    "no square layer": lambda c: not any(a == b for a, b in zip(c.sizes, c.sizes[1:])),
    "n_0 != n_L": lambda c: c.sizes[0] != c.sizes[-1],
    "weight scale >= 2 (saturated units)": lambda c: c.scale >= 2,
    "float32": lambda c: c.dtype == "float32",
    "float64": lambda c: c.dtype == "float64",
}


WIDTHS = {"n_0": 0, "n_L": -1}     # widths code may have written into it (np.tile(d, (2, 1)) for n_0 = 2)
WIDTH_CASES = 8                    # agreeing cases of one width, at least, before that width is a feature (of
                                   # some 60 widths tried, one with two agreeing cases is a coincidence)


def feature_counts(results: list[Result]) -> dict[str, tuple[int, int]]:
    """For each feature: (failing cases that have it, cases that have it); for each input or output width that
    agreeing cases have (counted among those with every feature all the failing cases share), the feature of the
    other widths (code that handles that width only), where WIDTH_CASES drawn cases of it agree (the steps of one
    epoch are one drawn case). Not a width of 1 where every failure is one 1-D example: a 1-D x of width 1 works
    as the (1, n) row batch code needs (round 64's mlp_pt), which the 1-D example's own line says."""
    features = dict(FEATURES)
    failing = [r.case for r in results if r.failure is not None]
    common = [has for has in FEATURES.values() if failing and all(has(c) for c in failing)]
    agreeing_cases = {r.case.spec(): r.case for r in results      # each drawn case once: an epoch's steps share
                      if r.failure is None and all(has(r.case) for has in common)}.values()   # their case
    one_d = FEATURES["a single 1-D example"] in common
    for name, i in WIDTHS.items():         # agreeing cases like the failing ones but for the width (not depth 1 ones
        agreeing = Counter(c.sizes[i] for c in agreeing_cases)       # where every failure has a hidden layer)
        for v in sorted(v for v, n in agreeing.items() if n >= WIDTH_CASES and not (one_d and v == 1)):
            features[f"{name} != {v} (every case with {name} = {v} agrees: a width written into the code? fix it "
                     "with --sizes if that is meant)"] = lambda c, i=i, v=v: c.sizes[i] != v
    counts = {}
    for name, has in features.items():
        with_it = [r.failure is not None for r in results if has(r.case)]
        counts[name] = (sum(with_it), len(with_it))
    return counts


def batch_crash_line(results: list, batches_only: bool = False) -> str | None:
    """The line for code that raises on batches alone while every one-example case runs (its other failures, if
    any, of value): each ``Result`` or ``StepResult`` that raised is a batch, and some one-example cases were
    checked, none of which raised; or, beside a batch's failure of value, the other way round (code written for
    batches, round 59's koch; where every failure is one example, the feature line says so). None otherwise (and
    where no case raised). Under ``batches_only`` the one-example cases went as batches of one, so batch code is
    not asked whether it was written for one example."""
    raised = [r.case for r in results if r.failure is not None and r.failure.kind == RAISED]
    single = [r.case for r in results if r.case.batch == 0]
    batches = [r.case for r in results if r.case.batch >= 1]
    batch_valued = any(r.failure is not None and r.failure.kind != RAISED and r.case.batch >= 1 for r in results)
    #                        (a batch's wrong value beside them: else the feature line says every failure is one)
    if raised and batches and batch_valued and not batches_only and all(c.batch == 0 for c in raised):
        return (f"every case that raised is one example x (n_0,) ({len(raised)} of them), and none of the "
                f"{len(batches)} batches raised: code written for batches? --batches-only sends one example as a "
                "batch of one")
    if not raised or not single or any(c.batch == 0 for c in raised):
        return None
    if batches_only:
        return (f"every case that raised is a batch of m > 1 examples ({len(raised)} of them), and none of the "
                f"{len(single)} batches of one (--batches-only) raised: what breaks it is m > 1")
    head = (f"every case that raised is a batch (2-D x; {len(raised)} of them), and none of the {len(single)} "
            "one-example cases raised")
    if any(r.failure is not None and r.case.batch == 0 and r.failure.kind == SHAPE for r in results):
        return (f"{head}, though some of them return a wrong shape: what breaks is m > 1, beside the shape the one "
                "example shows")                # (a wrong value there is one-example code's own mistake: round 36)
    return f"{head}: code written for one example at a time? --one-example checks it on those alone"


def batch_crash_first(lines: list[str], batch: str | None, results: list, batches_only: bool) -> list[str]:
    """``lines`` led by ``batch`` (``batch_crash_line``) with "(and every one of them agrees)" where every failure of
    ``results`` raised: one-example code run on batches, whose one-example cases all agree, is told the option that
    reads it before the crash it made; ``lines`` unchanged otherwise."""
    failures = [r.failure for r in results if r.failure is not None]
    if not batch or batches_only or not all(f.kind == RAISED for f in failures):
        return lines
    return [f"{batch} (and every one of them agrees)", *(d for d in lines if d != batch)]


SIZE_PAIRS = ((1, "L"), (0, 1), (0, "L"), ("L-1", "L"), (0, "L-1"), (1, 2), (2, "L"))   # n_a, n_b compared
SIZE_RELATIONS = {"!=": lambda a, b: a != b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}
SIZE_CASES = 5           # cases that raised and cases that ran, at least, for a size relation to be said


def _index(case, p: int | str) -> int | None:
    """The layer index 0..L of ``p`` in ``case``'s net (an index, or "L" / "L-1" from the output); None where the
    net has no such layer."""
    L = len(case.sizes) - 1
    i = {"L": L, "L-1": L - 1}.get(p, p)
    return i if 0 <= i <= L else None


def _relation(cases: list, a: int | str, b: int | str, holds) -> list[bool]:
    """Whether n_a and n_b stand in the relation ``holds`` on each of ``cases`` that has both as two layers."""
    out = []
    for c in cases:
        i, j = _index(c, a), _index(c, b)
        if i is not None and j is not None and i != j:
            out.append(holds(c.sizes[i], c.sizes[j]))
    return out


def crash_sizes_line(results: list) -> str | None:
    """The line for code that raises exactly on the nets whose widths n_a, n_b stand in a relation (n_1 != n_L:
    an array or a loop sized by one layer's width where another's belongs, round 47's msrisujan, a hidden delta of
    length n_L): every case of ``results`` that raised has it and every other case with those two layers lacks it,
    with at least SIZE_CASES of each; None otherwise."""
    raised = [r.case for r in results if r.failure is not None and r.failure.kind == RAISED]
    ran = [r.case for r in results if r.failure is None or r.failure.kind != RAISED]
    if len(raised) < SIZE_CASES or len(ran) < SIZE_CASES:
        return None
    for a, b in SIZE_PAIRS:
        for rel, holds in SIZE_RELATIONS.items():
            yes, no = _relation(raised, a, b, holds), _relation(ran, a, b, holds)
            if len(yes) == len(raised) and all(yes) and len(no) >= SIZE_CASES and not any(no):
                other = "=" if rel == "!=" else f"not {rel}"
                return (f"every case that raised ({len(raised)}) has n_{a} {rel} n_{b}, and none of the {len(no)} "
                        f"with n_{a} {other} n_{b} raised: the code's shapes chain only there (a W^T left out, "
                        "one layer's W read for another's, or an array or a loop sized by one layer's width where "
                        "the other's belongs: a hidden delta of length n_L, range(n_L) over a hidden layer's units)")
    valued = any(r.failure is not None and r.failure.kind != RAISED for r in results)  # (else the feature line)
    return _crash_depth_line(raised, ran, valued) or _crash_width_line(raised, ran)


def _crash_depth_line(raised: list, ran: list, valued: bool = False) -> str | None:
    """The line for code written for one depth: every case that ran has depth L = v (at least SIZE_CASES of them),
    and every case that raised another (round 54's devansh: a step of two layers' arrays called with every
    layer's); or, beside failures of value (``valued``; else the feature line says it), code that needs a hidden
    layer: every case that raised has depth 1 and none that ran (round 59's koch)."""
    depths = {c.depth for c in ran}
    if valued and len(ran) >= SIZE_CASES and {c.depth for c in raised} == {1} and 1 not in depths:
        return (f"every case that raised ({len(raised)}) has depth 1, and every case deeper ran: code that needs a "
                "hidden layer? --min-depth 2 checks it on those alone")
    if len(depths) != 1 or len(ran) < SIZE_CASES:
        return None
    v = depths.pop()
    if any(c.depth == v for c in raised):
        return None
    return (f"every case that ran has depth {v}, and every case that raised ({len(raised)}) another: code written "
            f"for {v} layer{'s' * (v > 1)}? --depth {v} checks it on those alone")


# Widths that code may have fixed (a 2 written for an XOR net; an array sized (n, l - 1) that broadcasts only at
# l = 2): each a name and the widths of a net's sizes it reads.
WIDTH_GROUPS = {"n_0": lambda s: s[:1], "n_L": lambda s: s[-1:], "every hidden n_l": lambda s: s[1:-1],
                "every n_l below the output (n_0 .. n_(L-1))": lambda s: s[:-1]}


# At a width of 1 alone, the commonest such code (round 58's kimbp): a row and a column of that width met where
# two vectors of one shape belong, e = d - y with d (1, n) and y (n, 1), whose difference broadcasts to (n, n).
ROW_COLUMN_HINT = ("; or a (1, n) row met by an (n, 1) column, e.g. a target made a row (np.array(y, ndmin=2)) "
                   "minus an output kept as a column: their difference broadcasts to (n, n) wherever n > 1")


def _crash_width_line(raised: list, ran: list) -> str | None:
    """The line for code that runs at one width alone: every case that ran has the widths of a ``WIDTH_GROUPS``
    group all equal to one v, and every case that raised has one of them other than v (round 52's harris: a
    momentum buffer sized (n_l, n_(l-1) - 1) where n_(l-1) + 1 belongs, which broadcasts only at n_(l-1) = 2)."""
    for name, widths in WIDTH_GROUPS.items():
        seen = [widths(c.sizes) for c in ran]
        values = {w for ws in seen for w in ws}
        if len(values) != 1 or sum(1 for ws in seen if ws) < SIZE_CASES:
            continue
        v = values.pop()
        if all(any(w != v for w in widths(c.sizes)) for c in raised):
            line = (f"every case that ran has {name} = {v}, and every case that raised ({len(raised)}) has "
                    f"{'it' if name in ('n_0', 'n_L') else 'one of them'} other than {v}: the code's shapes chain "
                    f"only at that width (a {v} written into the code, or an array sized by a width off by some "
                    "amount, e.g. (n_l, n_(l-1) - 1) where n_(l-1) + 1 belongs, that broadcasts only there)")
            return line + (ROW_COLUMN_HINT if (name, v) in (("n_L", 1), ("n_0", 1)) else "")
    return None


def one_dtype_agrees(results: list) -> bool:
    """Whether the failing cases leave a dtype out that some checked cases have: every float64 case agreed while
    float32 ones failed, or the other way round. A layout is the same in both, so no other layout explains such
    failures (a crash on float32 values alone, a float64 precision slip), and no layout is probed for them."""
    failing = {r.case.dtype for r in results if r.failure is not None}
    return bool(failing) and failing != {r.case.dtype for r in results}


# What a value failure's errors look like, array by array (grad W^l and grad b^l), for the diagnosis.

SHARED_WITHIN = 64.0     # an element "shares" the failing error when its own error is at least 1/64 of it
SPREAD_MIN_SIZE = 8      # arrays smaller than this say nothing about spread (two elements are not "whole arrays")


class ArrayErrors(NamedTuple):
    """One array of a value failure, measured. ``level``: max |candidate - reference| / max |reference|, the
    normwise error (inf when the reference is all zero and the candidate is not); ``failing``: elements over
    their tolerance; ``shared``: elements (failing or not) whose error is at least 1/SHARED_WITHIN of the
    largest failing one's (0 when none fails)."""

    layer: int
    array: str
    size: int
    failing: int
    level: float
    shared: int

    @property
    def spread(self) -> bool:
        """The failing error is no outlier: a good share of the array (4 elements and an eighth of it) carries
        errors of its size, as a change in the arithmetic of every product gives and a changed element does not."""
        return self.shared >= max(4, self.size / 8)


def _array_errors(layer: int, array: str, cand: np.ndarray, ref: np.ndarray, tol: np.ndarray) -> ArrayErrors:
    with np.errstate(all="ignore"):
        err = np.abs(np.asarray(cand, np.float64) - ref)
        err[np.isnan(err)] = np.inf
        top = float(np.max(np.abs(ref), initial=0.0))
        worst = float(np.max(err, initial=0.0))
        level = worst / top if top > 0 else (0.0 if worst == 0 else np.inf)
        failing = err > tol
        worst_failing = float(np.max(err[failing], initial=0.0))
        shared = int(np.sum(err >= worst_failing / SHARED_WITHIN)) if failing.any() else 0
    return ArrayErrors(layer, array, int(ref.size), int(failing.sum()), level, shared)


def array_errors(f: Failure) -> list[ArrayErrors]:
    """Every array of a value failure ``f`` measured, [grad W^1, grad b^1, ..., grad b^L]; [] without values."""
    return [e for l, v in enumerate(f.arrays, start=1)
            for e in (_array_errors(l, "W", v.cand_W, v.ref_W, v.tol_W),
                      _array_errors(l, "b", v.cand_b, v.ref_b, v.tol_b))]
