"""The truth itself checked (``python -m compare --self-check``): jax.grad against complex-step derivatives.

``autodiff.grad`` is the reference; here it is checked against a third, independent way to differentiate
that uses no JAX and no backprop: the complex step. For an analytic C and a tiny h,

    dC/dtheta = Im C(theta + i h) / h   (with an error of order h^2 C''', nothing like finite differences'
                                         cancellation, so h = 1e-30 gives the derivative to rounding level)

one forward pass per parameter, in complex128 NumPy. The cost, sigmoid included, is written here again in
complex arithmetic on purpose: sharing code with either backend would defeat the point. The tolerance is
the oracle's own (``bound.tolerance``) for float64.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import engine
from .cases import Case, materialise
from .limits import CHUNK

H = 1e-30
AUTODIFF_CASES = 20


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
    """dC/dW and dC/db by the complex step, in the parameter format (float64)."""
    X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
    X, Y = X.astype(complex), Y.astype(complex)
    base = [(W.astype(complex), b.astype(complex)) for W, b in params]
    out = []
    for W, b in base:
        gs = []
        for arr in (W, b):
            g = np.empty(arr.shape)
            for idx in np.ndindex(arr.shape):
                arr[idx] += 1j * H
                g[idx] = _cost_complex(base, X, Y).imag / H
                arr[idx] -= 1j * H
            gs.append(g)
        out.append(tuple(gs))
    return out


class SelfCheck(NamedTuple):
    """What ``self_check`` found: cases checked, arrays that disagree (with a line each), the worst ratio."""

    cases: int
    autodiff_cases: int
    failed: int
    worst: float
    disagreements: list[str]


def self_check(n: int = 200, seed: int = 0) -> SelfCheck:
    """Compare the oracle's reference (the engine's padded jax.grad, on every case) and ``autodiff.grad`` (on the
    first AUTODIFF_CASES, each a new compile) with the complex step on ``n`` small float64 nets."""
    import autodiff

    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(n):
        depth = int(rng.integers(1, 5))
        sizes = tuple(int(rng.integers(1, 6)) for _ in range(depth + 1))
        batch = 0 if rng.random() < 0.3 else int(rng.integers(1, 5))
        scale = float(np.exp(rng.uniform(np.log(0.25), np.log(4))))
        cases.append(Case(sizes, batch, scale, "float64", int(rng.integers(2**62))))
    worst, lines = 0.0, []
    for i in range(0, len(cases), CHUNK):
        chunk = cases[i:i + CHUNK]
        mats = [materialise(c) for c in chunk]
        ref = engine.chunk_reference(mats, "float64")
        for k, (case, (params, x, y)) in enumerate(zip(chunk, mats)):
            cs = complex_step_grad(params, x, y)
            layers = [ref.layer(k, l) for l in range(len(params))]
            checked = [("engine", [(r.W, r.b) for r in layers])]
            if i + k < AUTODIFF_CASES:
                checked.append(("autodiff.grad", autodiff.grad(params, x, y)))
            for name, grads in checked:
                for l, ((aW, ab), (cW, cb), r) in enumerate(zip(grads, cs, layers)):
                    for a, c, tol in ((aW, cW, r.tol_W), (ab, cb, r.tol_b)):
                        ratio = float(np.max(np.abs(a - c) / tol))
                        if not ratio <= 1:
                            lines.append(f"DISAGREE {name} {case.spec()} layer {l + 1}: ratio {ratio:.3g}")
                        worst = max(worst, ratio)
    return SelfCheck(len(cases), min(len(cases), AUTODIFF_CASES), len(lines), worst, lines)
