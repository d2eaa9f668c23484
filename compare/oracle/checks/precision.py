"""Whether failing float64 steps are right, or a catalogued mistake's, at float32's precision: code with a tiny
term in its arithmetic (sigma'(z) + 1e-10 "to avoid a division by 0", a clip of a at 1e-10 from 0 and 1), which
float32's rounding hides and float64's tolerance does not (round 71's eps: every float64 case failed, every
float32 case agreed or was one catalogued mistake's, and the search named nothing).

Evidence, not a guess at the term: each float64 step is recomputed (right, or with the float32 steps' mistakes)
and compared with every tolerance times u(float32) / u(float64).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..diagnosis import stepmistakes
from ..reference.bound import UNIT_ROUNDOFF
from ..reference.engine import LayerReference
from ..verdict.results import VALUE

COARSE = UNIT_ROUNDOFF["float32"] / UNIT_ROUNDOFF["float64"]
CHECKED = 3          # float64 failing steps recomputed at float32's precision


def _coarse(r):
    """The float64 failing step ``r`` with its reference tolerances times u(float32) / u(float64)."""
    layers = [LayerReference(x.W, x.b, np.asarray(x.tol_W) * COARSE, np.asarray(x.tol_b) * COARSE)
              for x in r.inputs[3]]
    return r._replace(inputs=(*r.inputs[:3], layers))


def _relative(r) -> float:
    """The largest |candidate's move - reference's move| / |reference's move| of the step ``r`` over the elements
    the reference moves by more than 1000 tolerances (0 where none does)."""
    worst = 0.0
    for (W, b), v in zip(r.inputs[0], r.failure.arrays):
        for p, c, e, t in ((W, v.cand_W, v.ref_W, v.tol_W), (b, v.cand_b, v.ref_b, v.tol_b)):
            p64 = np.asarray(p, np.float64)
            moved = np.asarray(e, np.float64) - p64
            big = np.abs(moved) > 1000 * np.asarray(t)
            if big.any():
                with np.errstate(all="ignore"):
                    d = np.abs(np.asarray(c, np.float64) - np.asarray(e, np.float64))[big] / np.abs(moved[big])
                worst = max(worst, float(np.nanmax(d)))
    return worst


def lines(values: list, search: Callable[[list], tuple[tuple[str, ...], list[str]]]) -> tuple[tuple[str, ...],
                                                                                                list[str]]:
    """Where no catalogued mistake reproduces the failing ``values`` (``stepcheck.StepResult``s of wrong values):
    (keys, lines) when the float64 ones are right at float32's precision with every failing float32 step
    reproduced by the same catalogued mistakes (``search(float32 steps)`` -> (keys, lines); none where every
    float32 step agrees); else ((), [])."""
    f64 = [r for r in values if r.case.dtype == "float64"]
    f32 = [r for r in values if r.case.dtype == "float32"]
    if not f64 or any(r.failure.kind != VALUE for r in f64):
        return (), []
    keys, said = search(f32) if f32 else ((), [])
    if f32 and not keys:
        return (), []
    if not stepmistakes.recomputable(keys):     # a rate read off one step (bias_fixed_rate): no recomputation
        return (), []
    tried = f64[:CHECKED]
    if not all(stepmistakes.reproduced(_coarse(r), [keys])[0] for r in tried):
        return (), []
    term = ("a tiny term in the arithmetic that float32's rounding hides: an epsilon added (sigma'(z) + 1e-10, "
            "'to avoid a division by 0'), a clip of a or z a hair from 0 and 1, a constant rounded to a few digits")
    if not keys:
        rel = max(_relative(r) for r in tried)
        return (), [f"every failing step is float64 and is the right step at float32's precision (its tolerances "
                    f"times {COARSE:.3g}; on the {len(tried)} tried, the moves are right to a relative {rel:.2g}, "
                    f"beyond float64's rounding): no mistake of the backprop equations, but {term}; remove it (the "
                    "float32 steps agree)"]
    return keys, [f"the failing float32 steps are {' + '.join(keys)}'s (below), and the failing float64 steps are "
                  f"too at float32's precision (their tolerances times {COARSE:.3g}; not at float64's): that "
                  f"mistake, and beside it {term}", *said]


__all__ = ["lines"]
