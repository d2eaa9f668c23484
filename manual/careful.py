"""Values near the dtype's range: what ``network`` and ``backprop`` do when a plain product overflows.

Off the fast path: nothing here runs unless a z, the cost or a gradient came out +-inf or NaN. A product can
overflow although the true result is in range (|W| |a| near the dtype's limit, (a - y)^2 for a huge y,
(W^l)^T delta^l before a small sigma'), and inf * 0 = NaN at a saturated unit; these functions recompute
with rows scaled by powers of two (exact), so a result is +-inf only where the true value is beyond range,
and that is refused with a ValueError.

This module imports nothing from ``network``: the forward pass and sigma' it needs are passed in.
"""

from __future__ import annotations

import numpy as np

from .params import Params


def _exponent(arr: np.ndarray, axis=None):
    """e with max |arr| = f 2^e, 1/2 <= f < 1 (0 for zeros): every entry of ldexp(arr, -e) is below 1 in size.
    With ``axis``, one exponent per row (an int array)."""
    if axis is None:
        return int(np.frexp(np.max(np.abs(arr)))[1]) if arr.size else 0
    return np.frexp(np.max(np.abs(arr), axis=axis, initial=0))[1].astype(np.intc)


def _rows_scaled(A: np.ndarray, W: np.ndarray, factor: np.ndarray | None = None) -> np.ndarray:
    """A W^T (times ``factor`` element by element) where the plain product may overflow. Row i of A is scaled by
    2^(t - e_i) and row j of W by 2^(t - f_j) (e_i, f_j: the rows' exponents, so every scaled |entry| < 2^t),
    with t chosen so that a sum of n products below 2^(2t) stays below 2^(emax - 2); element (i, j), times its
    factor, is then scaled back by 2^(e_i + f_j - 2t). ldexp is exact, and +-inf only where the true value is
    beyond range. Each row has its own scale, with 2^t of headroom under it, so that the small entries of a row
    next to a huge one survive down to 2^-(t + 1074) of its row's largest.

    That is not enough where a row's largest entry meets a zero (or tiny) entry of the other row: element (i, j)
    is then a sum of small scaled products only, and what fell into the subnormals, or what the factor (a tiny
    sigma') pushed there, is no longer far under that element's own rounding error. Those elements, the ones
    whose scaled sum of |products| S_ij is too small for the loss to stay under u S_ij / 16, are recomputed one by
    one with a scale of their own (``_elements_scaled``), so that every element's lost part is far under its
    rounding error."""
    t = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2
    e, f = _exponent(A, axis=1), _exponent(W, axis=1)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):   # invalid: an inf in A (delta beyond range)
        As, Ws = np.ldexp(A, (t - e)[:, None]), np.ldexp(W, (t - f)[:, None])
        Zs = As @ Ws.T
        if factor is not None:
            Zs *= factor
        Z = np.ldexp(Zs, e[:, None] + f[None, :] - 2 * t)
        F = None if factor is None else np.broadcast_to(factor, Z.shape)
        I, J = np.nonzero(_lossy(As, Ws, F, t) & A.any(axis=1)[:, None] & W.any(axis=1)[None, :])
        if I.size:                                  # (a zero row of A or W: its elements are 0 exactly)
            Z[I, J] = _elements_scaled(A, W, F, I, J)
    return Z


def _lossy(As: np.ndarray, Ws: np.ndarray, F: np.ndarray | None, t: int) -> np.ndarray:
    """Where ``_rows_scaled``'s As Ws^T (times F) may have lost more than u/16 of its element's scaled sum of
    |products| S_ij, as a bool mask: every term's two entries and its product are within eta (the smallest
    subnormal) of exact, an entry's loss times the other's < 2^t, so the n terms lose under n 2^(t + 2) eta,
    and the product by F rounds once more, to eta, where it is subnormal. An element whose factor is 0 is 0
    exactly."""
    fi = np.finfo(As.dtype)
    eta, n = float(fi.smallest_subnormal), As.shape[-1]
    S = np.abs(As) @ np.abs(Ws).T
    size = 1.0 if F is None else np.abs(F)
    return (S * size * (float(fi.eps) / 32) <= n * 2.0 ** (t + 2) * eta * size + eta) & (size != 0)  # eps/32: u/16


def _elements_scaled(A: np.ndarray, W: np.ndarray, factor: np.ndarray | None, I: np.ndarray, J: np.ndarray,
                     block: int = 1 << 16) -> np.ndarray:
    """(A W^T)[I, J] (times ``factor[I, J]``), each element with its own scale: product k of element (i, j) is
    A_ik W_jk = ma mw 2^(ea + ew) (frexp of both), summed as ma mw 2^(ea + ew - E) with E the largest ea + ew of
    the element's nonzero products (so the largest term is at least 1/4 and a term lost to underflow is below the
    smallest subnormal, 2^-1074, of it), times the factor's mantissa, then scaled back by 2^(E + the factor's
    exponent): no intermediate overflows or underflows but what is far under the element's rounding error.
    Vectorised over the elements, ``block`` numbers at a time."""
    n = A.shape[-1]
    fi = np.finfo(A.dtype)
    lowest = 2 * (fi.minexp - fi.nmant + 1)                   # ea + ew of the smallest subnormal's square
    out = np.empty(I.shape, A.dtype)
    step = max(1, block // max(n, 1))
    for s in range(0, I.size, step):
        i, j = I[s:s + step], J[s:s + step]
        ma, ea = np.frexp(A[i])
        mw, ew = np.frexp(W[j])
        p = ea + ew
        E = np.where((ma != 0) & (mw != 0), p, lowest).max(axis=1, initial=lowest)   # lowest: no nonzero product
        total = np.sum(np.ldexp(ma * mw, p - E[:, None]), axis=1)
        if factor is not None:
            mf, ef = np.frexp(factor[i, j])
            total *= mf
            E = E + ef
        out[s:s + step] = np.ldexp(total, E)
    return out


def _z_scaled(A: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A W^T + b when the plain product overflows: its finite elements are kept, the others recomputed by
    ``_rows_scaled``. A z beyond the dtype's range comes out as +-inf with the right sign (sigma(z) = 1 or 0, the
    right answer) instead of the NaN that inf - inf gives in the plain product."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        Z = A @ W.T + b
        bad = ~np.isfinite(Z)
        Z[bad] = (_rows_scaled(A, W) + b)[bad]   # may be +-inf: never NaN
    return Z


def _cost_scaled(a_L: np.ndarray, Y: np.ndarray) -> np.floating:
    """The cost when |a - y| is so large (|y| > ~1e154 in float64) that (a - y)^2 or a sum overflows although C
    may be in range: the same sums on (a - y) 2^-e, then times 2^(2e) (ldexp: exact), +-inf only when C is
    beyond range. Terms lost to underflow are below 2^-1074 of the largest: far under C's rounding error."""
    R = a_L - Y
    e = _exponent(R)
    R = np.ldexp(R, -e)
    C = np.mean(0.5 * np.sum(R * R, axis=1) / Y.shape[1])
    return np.ldexp(C, 2 * e)


def _check_range(arrays, what: str, dtype: np.dtype) -> None:
    """ValueError when a result overflowed: the true value is beyond the dtype's range, so no answer is right."""
    for l, arr in arrays:
        if not np.isfinite(arr).all():
            where = f" of layer {l}" if l else ""
            raise ValueError(f"{what}{where} is beyond {dtype}'s range (|value| > {np.finfo(dtype).max:.3g}) "
                             "for these inputs; scale the weights or inputs down")


def _finite(grads: Params) -> bool:
    return all(np.isfinite(g).all() for pair in grads for g in pair)


def _in_range(compute, params: Params, X: np.ndarray, Y: np.ndarray, dtype: np.dtype,
              forward_all, sigma_prime) -> Params:
    """``compute(params, X, Y)`` (``network._grad``, or ``backprop._backprop`` on one example), or, when that
    overflowed, ``_grad_careful`` (on float64 copies for a float32 network, rounded back): an intermediate can
    overflow although every gradient element is in range. What is still +-inf after that is a gradient beyond
    the dtype's range: a ValueError. ``forward_all`` and ``sigma_prime`` are ``network``'s. Runs under the
    caller's np.errstate (overflow ignored)."""
    grads = compute(params, X, Y)
    if _finite(grads):
        return grads
    X, Y = np.atleast_2d(X), np.atleast_2d(Y)
    if dtype == np.float32:
        wide = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
        g = _grad_careful(wide, X.astype(np.float64), Y.astype(np.float64), forward_all, sigma_prime)
        grads = [(gW.astype(np.float32), gb.astype(np.float32)) for gW, gb in g]
    else:
        grads = _grad_careful(params, X, Y, forward_all, sigma_prime)
    _check_range([(l, g) for l, pair in enumerate(grads, start=1) for g in pair], "the gradient", dtype)
    return grads


def _grad_careful(params: Params, X: np.ndarray, Y: np.ndarray, forward_all, sigma_prime) -> Params:
    """``network._grad`` where the plain products overflow. Two things go wrong there, and neither means the
    gradient is beyond range: (W^l)^T delta^l overflows before the multiplication by a small sigma'(z^(l-1))
    brings it back into range (e.g. |y| ~ 1e300 with hidden units near saturation), and inf * 0 = NaN where a
    saturated unit's sigma' is exactly 0. Here every backward product comes from ``_rows_scaled``, with the
    multiplication by sigma' done before scaling back, so nothing overflows but a true result beyond range, and a
    unit whose sigma' is 0 passes back 0 (as it does whenever (W^l)^T delta^l is finite, however large)."""
    m, n_L = Y.shape
    activations = forward_all(params, X)
    a_L = activations[-1]
    delta = (a_L - Y) / (n_L * m) * sigma_prime(a_L)   # a is in [0, 1]: a - y cannot overflow
    ones = np.ones((1, m), delta.dtype)
    grads: Params = []
    for l in range(len(params), 0, -1):
        a_prev = activations[l - 1]
        grads.append((_rows_scaled(delta.T, a_prev.T), _rows_scaled(delta.T, ones)[:, 0]))
        if l > 1:
            delta = _rows_scaled(delta, params[l - 1][0].T, factor=sigma_prime(a_prev))
    grads.reverse()
    return grads
