"""The truth itself checked (``python -m compare --self-check``): jax.grad against complex-step derivatives.

``autodiff.grad`` is the reference; here it is checked against a third, independent way to differentiate
that uses no JAX and no backprop: the complex step. For an analytic C and a tiny h,

    dC/dtheta = Im C(theta + i h) / h   (with an error of order h^2 C''', nothing like finite differences'
                                         cancellation, so h = 1e-30 gives the derivative to rounding level)

one forward pass per parameter (batched: one perturbed network per element), in complex128 NumPy. The cost,
sigmoid included, is written here again in complex arithmetic on purpose: sharing code with either backend
would defeat the point. The tolerance is the oracle's own (``bound.tolerance``) for the case's dtype: a
float32 reference is compared with the (float64-accurate) complex step within the float32 bound.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..cases.cases import draw_cases, materialise
from ..cases.limits import CHUNK, DTYPES
from . import engine

H = 1e-30
AUTODIFF_CASES = 10      # per dtype; each is a new compile of autodiff.grad
SAMPLE = 64              # elements compared per array, at most


def _sigmoid_complex(z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1/(1 + e^{-z}) for complex z with tiny imaginary part, in the form that cannot overflow."""
    e = np.exp(-np.abs(z.real)) * np.exp(-1j * np.sign(z.real) * z.imag)   # e^{-|z|} with the phase carried
    return np.where(z.real >= 0, 1 / (1 + e), e / (1 + e))


def _cost_complex(params, X, Y) -> complex:
    a = X
    for W, b in params:
        a = _sigmoid_complex(a @ W.T + b)
    n_L = Y.shape[1]
    return np.mean(np.sum(0.5 * (a - Y) ** 2, axis=1) / n_L)


def complex_step_grad(params, x, y):
    """dC/dW and dC/db by the complex step, every element, in the parameter format (float64)."""
    return [tuple(complex_step_elements(params, x, y, l, which, list(np.ndindex(arr.shape))).reshape(arr.shape)
                  for which, arr in (("W", W), ("b", b))) for l, (W, b) in enumerate(params)]


def complex_step_elements(params, x, y, layer: int, which: str, idxs: list[tuple]) -> np.ndarray:
    """dC/d(W or b of layer ``layer``, 0-based)[idx] for each idx, by the complex step: one forward pass with a
    leading axis of one perturbed network per idx (complex128; float32 parameters are read exactly)."""
    X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
    a = X.astype(complex)[None]                                           # (1, m, n_0)
    for l, (W, b) in enumerate(params):
        W, b = W.astype(complex), b.astype(complex)
        if l == layer:
            Ws = np.repeat(W[None], len(idxs), axis=0)
            bs = np.repeat(b[None], len(idxs), axis=0)
            for k, idx in enumerate(idxs):
                (Ws if which == "W" else bs)[(k, *idx)] += 1j * H
            z = a @ Ws.transpose(0, 2, 1) + bs[:, None, :]
        else:
            z = a @ W.T + b
        a = _sigmoid_complex(z)
    C = np.mean(np.sum(0.5 * (a - Y.astype(complex)) ** 2, axis=-1) / Y.shape[1], axis=-1)
    return np.broadcast_to(C, (len(idxs),)).imag / H


class SelfCheck(NamedTuple):
    """What ``self_check`` found: cases per dtype, arrays that disagree (with a line each), the worst ratio
    |jax.grad - complex step| / tolerance per dtype, and the elements compared."""

    cases: dict[str, int]
    autodiff_cases: int
    failed: int
    worst: dict[str, float]
    elements: int
    disagreements: list[str]


def _sample(shape: tuple, ref: np.ndarray, rng: np.random.Generator) -> list[tuple]:
    """Every element of a small array; of a large one SAMPLE of them, the largest |reference| included."""
    every = list(np.ndindex(shape))
    if len(every) <= SAMPLE:
        return every
    top = np.unravel_index(int(np.argmax(np.abs(ref))), shape)
    picked = rng.choice(len(every), SAMPLE - 1, replace=False)
    return [tuple(int(i) for i in top)] + [every[i] for i in picked]


def self_check(n: int = 200, seed: int = 0) -> SelfCheck:
    """Compare the oracle's reference (the engine's padded jax.grad) and ``autodiff.grad`` (on the first
    AUTODIFF_CASES cases of each dtype, each a new compile) with the complex step on ``n`` cases drawn as the
    oracle draws them (``cases.draw_cases``: depth 1-6, widths 1-64, batches, saturated units, float64 and
    float32), each element within its dtype's tolerance; every element of small arrays, SAMPLE of large ones."""
    import autodiff

    rng = np.random.default_rng(seed)
    cases = draw_cases(n, seed)
    worst = {dt: 0.0 for dt in DTYPES}
    counts = {dt: 0 for dt in DTYPES}
    lines, elements = [], 0
    for dtype in DTYPES:
        group = [c for c in cases if c.dtype == dtype]
        counts[dtype] = len(group)
        for i in range(0, len(group), CHUNK):
            chunk = group[i:i + CHUNK]
            mats = [materialise(c) for c in chunk]
            ref = engine.chunk_reference(mats, dtype)
            for k, (case, (params, x, y)) in enumerate(zip(chunk, mats)):
                layers = [ref.layer(k, l) for l in range(len(params))]
                checked = [("engine", [(r.W, r.b) for r in layers])]
                if i + k < AUTODIFF_CASES:
                    checked.append(("autodiff.grad", autodiff.grad(params, x, y)))
                for l, r in enumerate(layers):
                    for which, ref_arr, tol, slot in (("W", r.W, r.tol_W, 0), ("b", r.b, r.tol_b, 1)):
                        idxs = _sample(ref_arr.shape, ref_arr, rng)
                        cs = complex_step_elements(params, x, y, l, which, idxs)
                        elements += len(idxs)
                        t = np.array([tol[idx] for idx in idxs])
                        for name, grads in checked:
                            got = np.array([grads[l][slot][idx] for idx in idxs], np.float64)
                            ratio = float(np.max(np.abs(got - cs) / t))
                            if not ratio <= 1:
                                lines.append(f"DISAGREE {name} {case.spec()} layer {l + 1} grad {which}: ratio "
                                             f"{ratio:.3g}")
                            worst[dtype] = max(worst[dtype], ratio)
    return SelfCheck(counts, min(AUTODIFF_CASES, n), len(lines), worst, elements, lines)
