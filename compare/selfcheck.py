"""``python -m compare --self-check``: check the truth itself.

``autodiff.grad`` is the reference; here it is checked against a third, independent way to differentiate
that uses no JAX and no backprop: the complex step. For an analytic C and a tiny h,

    dC/dtheta = Im C(theta + i h) / h   (with an error of order h^2 C''', nothing like finite differences'
                                         cancellation, so h = 1e-30 gives the derivative to rounding level)

one forward pass per parameter, in complex128 NumPy. The cost, sigmoid included, is written here again in
complex arithmetic on purpose: sharing code with either backend would defeat the point. The tolerance is
the engine's twice-the-rounding-bound for float64, the same one the oracle uses.
"""

from __future__ import annotations

import time

import numpy as np

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


def main(args) -> int:
    """Compare the oracle's reference (the engine's padded jax.grad, on every case) and ``autodiff.grad`` (on the
    first AUTODIFF_CASES, each a new compile) with the complex step on small float64 nets; exit 0 when all agree.
    """
    import autodiff

    from . import engine
    from .cases import Case, materialise

    n = args.examples if args.examples is not None else 200
    rng = np.random.default_rng(args.seed)
    cases = []
    for _ in range(n):
        depth = int(rng.integers(1, 5))
        sizes = tuple(int(rng.integers(1, 6)) for _ in range(depth + 1))
        batch = 0 if rng.random() < 0.3 else int(rng.integers(1, 5))
        scale = float(np.exp(rng.uniform(np.log(0.25), np.log(4))))
        cases.append(Case(sizes, batch, scale, "float64", int(rng.integers(2**62))))
    start = time.perf_counter()
    worst, failed = 0.0, 0
    for i in range(0, len(cases), engine.CHUNK):
        chunk = cases[i:i + engine.CHUNK]
        mats = [materialise(c) for c in chunk]
        gW, gb, BW, Bb, _, _ = engine.reference(mats, "float64")
        for k, (case, (params, x, y)) in enumerate(zip(chunk, mats)):
            cs = complex_step_grad(params, x, y)
            engine_grads = [(gW[k, l, :W.shape[0], :W.shape[1]], gb[k, l, :W.shape[0]]) for l, (W, _) in
                            enumerate(params)]
            checked = [("engine", engine_grads)]
            if i + k < AUTODIFF_CASES:
                checked.append(("autodiff.grad", autodiff.grad(params, x, y)))
            for name, grads in checked:
                for l, ((aW, ab), (cW, cb)) in enumerate(zip(grads, cs)):
                    n_l, n_in = aW.shape
                    for a, c, tol in ((aW, cW, 2 * BW[k, l, :n_l, :n_in]), (ab, cb, 2 * Bb[k, l, :n_l])):
                        ratio = float(np.max(np.abs(a - c) / tol))
                        if not ratio <= 1:
                            failed += 1
                            print(f"DISAGREE {name} {case.spec()} layer {l + 1}: ratio {ratio:.3g}")
                        worst = max(worst, ratio)
    print(f"self-check: jax.grad (engine on {len(cases)}, autodiff.grad on {min(len(cases), AUTODIFF_CASES)}) vs "
          f"complex step, float64 nets of depth 1-4, widths 1-5: "
          f"{'all agree' if not failed else f'{failed} arrays DISAGREE'}; worst |difference| / tolerance "
          f"{worst:.3g}; {time.perf_counter() - start:.1f} s")
    return 0 if not failed else 1
