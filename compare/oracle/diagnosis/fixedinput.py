"""A layer whose grad W multiplies its delta by a fixed vector where the layer's input belongs: read off the steps.

A step moves W^l by -eta (sum_i delta_i) c^T when the code's grad W^l is delta (c)^T for a vector c it holds fixed
(a test input left in, ``np.reshape([0, 1], (1, 2))`` where x belongs: round 51's jmasis). Every row of the move is
then a multiple of the same c on every step, whatever x; the right move's rows lie along a^(l-1), which changes
from step to step. Said where the candidate's move of W^l is c times a column (within its tolerance, element by
element) on every failing step tried, with one c, and the right move is not: what was measured, not a guess.
"""

from __future__ import annotations

import numpy as np

from .stepmistakes import activations, inputs_of
from .steppatterns import RIGHT, STILL, layer_patterns

SAME = 1e-6            # the largest relative difference of two steps' c, float64 (float32: SAME_32)
SAME_32 = 1e-3
STEPS = 3              # failing steps, at least, that show one c


def _direction(move: np.ndarray, tol: np.ndarray) -> np.ndarray | None:
    """c (its largest entry 1) where ``move`` (n_l, n_(l-1)) is a column times c^T within ``tol`` element by
    element and not 0; else None."""
    if not np.all(np.isfinite(move)) or not np.any(np.abs(move) > tol):
        return None
    u, s, vt = np.linalg.svd(move)
    c = vt[0] * s[0]
    if np.any(np.abs(move - np.outer(u[:, 0], c)) > tol):
        return None
    return c / c[np.argmax(np.abs(c))]


def _input_of(result, l: int) -> np.ndarray:
    """The rows of a^(l-1) the right step multiplies delta^l by (x at l = 1), float64, (m, n_(l-1))."""
    i, _ = inputs_of(result)
    return activations(i.params[:l - 1], i.X)[-1]


def fixed_inputs(results: list) -> list[tuple[int, np.ndarray]]:
    """(layer, c) for each layer whose W moves along one fixed c on every failing step of ``results`` (at least
    STEPS of them, each with values) while its input a^(l-1) is not along c on some of them; [] otherwise."""
    if len(results) < STEPS or any(r.failure is None or not r.failure.arrays or r.inputs is None for r in results):
        return []
    found = []
    for l in range(1, len(results[0].inputs[0]) + 1):
        cs, apart = [], False
        for r in results:
            if len(r.inputs[0]) < l or layer_patterns(r)[l - 1].W in (RIGHT, STILL):
                break
            W, v = np.asarray(r.inputs[0][l - 1][0], np.float64), r.failure.arrays[l - 1]
            if W.ndim != 2 or W.shape[1] < 2 or (c := _direction(np.asarray(v.cand_W, np.float64) - W,
                                                                  np.asarray(v.tol_W))) is None:
                break
            cs.append(c)
            rows = _input_of(r, l)
            apart |= bool(np.any(np.abs(rows - np.outer(rows @ c / (c @ c), c)) > SAME_32))
        else:
            same = SAME if results[0].case.dtype == "float64" else SAME_32
            if apart and all(c.shape == cs[0].shape and np.allclose(c, cs[0], rtol=0, atol=same) for c in cs):
                found.append((l, cs[0]))
    return found


def line(found: list[tuple[int, np.ndarray]], steps: int) -> str:
    """The diagnosis line of ``fixed_inputs``' first layer on ``steps`` failing steps."""
    l, c = found[0]
    shown = ", ".join(f"{v:.6g}" for v in np.where(np.abs(c) < 1e-12, 0.0, c))
    where = "x" if l == 1 else f"a^{l - 1}"
    return (f"grad W^{l} moves along one fixed vector, ({shown}) up to scale, on each of the {steps} failing steps "
            f"tried, whatever the input: its rows are all multiples of it, where delta^{l} ({where})^T moves along "
            f"{where}, which changes from step to step; the code multiplies delta^{l} by a fixed vector where the "
            f"layer's input {where} belongs (a test value or a placeholder left in)")
