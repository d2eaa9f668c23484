"""The seed's network and its hand-derived gradient, vectorised over a batch, in NumPy.

Seed notation: z^l = W^l a^{l-1} + b^l, a^l = sigma(z^l), a^0 = x, and per example
    C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2.
A batch's cost is the mean of its examples' costs, so its gradient is the mean of theirs.

A batch is stored one example per row, so the seed's column-vector equations appear transposed:
``Z = A @ W.T + b`` is z^l = W^l a^{l-1} + b^l for every example (row) at once. ``backprop.py`` has
the same algorithm for one example written with column vectors exactly as the seed does.
"""

from __future__ import annotations

import numpy as np

from .params import Params, _as_array, _kind_error, check_inputs, check_params, check_x


def sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^{-z}) = 1/2 + tanh(z/2)/2, elementwise; stable for every finite z, never warning.

    tanh saturates to +-1 instead of overflowing, so z = +-1e300 gives exactly 1 or 0 with no warning, and
    it is 4-15x faster than the two-branch exp form (which pays for a division and a data-dependent select).
    Accuracy: absolute error <= ~u everywhere. No formula does better than that near a = 1 (1 - a is only
    known to u there), and sigma'(z) = a(1 - a) and every gradient inherit that absolute error whichever
    end it is at; the oracle's bound (compare/engine.py) carries exactly this absolute floor.
    """
    z = _real_array(z)
    a = np.multiply(z, 0.5, out=np.empty(z.shape, z.dtype if z.dtype.kind == "f" else np.float64))
    return _sigmoid_from_half(a)


def _sigmoid_from_half(t: np.ndarray) -> np.ndarray:
    """sigma(z) in place of t = z/2: 1/2 + tanh(t)/2, no temporaries."""
    np.tanh(t, out=t)
    t *= 0.5
    t += 0.5
    return t


def _forward_all(params: Params, X: np.ndarray) -> list[np.ndarray]:
    """Activations [a^0, a^1, ..., a^L] of a batch X (m, n_0), each (m, n_l)."""
    activations = [X]
    for W, b in params:
        with np.errstate(over="ignore", invalid="ignore"):
            Z = activations[-1] @ W.T          # z^l = W^l a^{l-1} + b^l  (rows are examples: a W^T + b)
            Z += b
        if not np.isfinite(Z).all():           # only for |W| |a| near the dtype's limit (e.g. 1e300 * 1e300)
            Z = _z_scaled(activations[-1], W, b)
        Z *= 0.5
        activations.append(_sigmoid_from_half(Z))   # a^l = sigma(z^l), computed in place of z^l
    return activations


def _z_scaled(A: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A W^T + b when the plain product overflows: its finite elements are kept, the others recomputed from rows
    of A and W scaled by powers of two so that no product or sum can overflow, then scaled back (``_rows_scaled``).
    A z beyond the dtype's range comes out as +-inf with the right sign (sigma(z) = 1 or 0, the right answer)
    instead of the NaN that inf - inf gives in the plain product. (One scale for the whole matrix, as first
    written, lost the small entries of a row next to a huge one, and its factor, computed with exp2, overflowed
    for the largest values: inf, then NaN.)"""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        Z = A @ W.T + b
        bad = ~np.isfinite(Z)
        Z[bad] = (_rows_scaled(A, W) + b)[bad]   # may be +-inf: never NaN
    return Z


def _check_range(arrays, what: str, dtype: np.dtype) -> None:
    """ValueError when a result overflowed: the true value is beyond the dtype's range, so no answer is right."""
    for l, arr in arrays:
        if not np.isfinite(arr).all():
            where = f" of layer {l}" if l else ""
            raise ValueError(f"{what}{where} is beyond {dtype}'s range (|value| > {np.finfo(dtype).max:.3g}) "
                             "for these inputs; scale the weights or inputs down")


def forward(params: Params, x) -> np.ndarray:
    """Output a^L of the network: ``(n_L,)`` for one example ``x`` of shape ``(n_0,)``, ``(m, n_L)`` for a batch."""
    params, dtype = check_params(params)
    x = check_x(params, dtype, x)
    X = x if x.ndim == 2 else x[None, :]
    a_L = _forward_all(params, X)[-1]
    return a_L if x.ndim == 2 else a_L[0]


def cost(params: Params, x, y) -> np.floating:
    """C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2 for one example; the mean of that over a batch.

    Returns a NumPy scalar of the network's dtype (np.float64 is a Python float; np.float32 converts to one).
    """
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
    n_L = Y.shape[1]
    a_L = _forward_all(params, X)[-1]
    with np.errstate(over="ignore"):
        per_example = 0.5 * np.sum((a_L - Y) ** 2, axis=1) / n_L   # C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2
        C = np.mean(per_example)                                     # batch: mean over examples
        C = C if np.isfinite(C) else _cost_scaled(a_L, Y)            # (a - y)^2 overflowed: C may be in range
    _check_range([(0, C)], "the cost", dtype)
    return dtype.type(C)


def grad(params: Params, x, y) -> Params:
    """Gradient of ``cost`` with respect to every W^l and b^l, in the parameter format.

    Vectorised backprop: one matrix product per layer and direction, no Python loop over examples.
    For a batch (m rows) the result is the mean of the m per-example gradients."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
    with np.errstate(over="ignore", invalid="ignore"):
        grads = _in_range(_grad, params, X, Y, dtype)
    # (_in_range has refused, with a ValueError, a gradient beyond the dtype's range)
    return grads


def _grad(params: Params, X: np.ndarray, Y: np.ndarray) -> Params:
    """``grad`` for already-validated arrays: X (m, n_0), Y (m, n_L) of the parameters' dtype (``train`` calls
    this at every step without re-validating). Element-wise steps work in place: the five matrix products are
    the only work that cannot be avoided, and everything else is kept to a few passes over memory."""
    m, n_L = Y.shape
    activations = _forward_all(params, X)
    a_L = activations[-1]
    delta = a_L - Y                            # dC/da^L = (1/n_L)(a^L - y), the 1/n_L applied below
    delta *= 1.0 / (n_L * m)                   # 1/n_L, and the batch mean's 1/m folded in once for every layer
    delta *= _sigma_prime(a_L)                 # delta^L = (1/n_L)(a^L - y) ⊙ sigma'(z^L)
    ones = np.ones(m, delta.dtype)             # sums over the batch as BLAS products: faster than .sum(axis=0)
    grads: Params = []
    for l in range(len(params), 0, -1):
        a_prev = activations[l - 1]
        grads.append((delta.T @ a_prev,        # grad W^l = delta^l (a^{l-1})^T, summed over the batch
                      ones @ delta))           # grad b^l = delta^l, summed over the batch
        if l > 1:
            delta = delta @ params[l - 1][0]   # (W^l)^T delta^l   (rows are examples: delta W)
            delta *= _sigma_prime(a_prev)      # delta^{l-1} = (W^l)^T delta^l ⊙ sigma'(z^{l-1})
    grads.reverse()
    return grads


def _sigma_prime(a: np.ndarray) -> np.ndarray:
    """sigma'(z) = sigma(z)(1 - sigma(z)) = a (1 - a), from the activation a = sigma(z)."""
    s = 1 - a                                  # sigma'(z) = a (1 - a): 1 - a here, times a below
    s *= a
    return s


# ---- out of the fast path: input checks, and values near the dtype's range -------------------------------

def _real_array(z) -> np.ndarray:
    """``z`` as an array of real numbers for ``sigmoid`` (ints and bools become float64), else a TypeError."""
    z = _as_array(z, "z")
    if z.dtype.kind not in "fiub":
        raise TypeError(_kind_error(z, "z").replace("expected float32 or float64", "expected real numbers"))
    return z


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
    beyond range. Each row has its own scale, with 2^t of headroom under it: an entry is lost only below
    2^-(t + 1074) of its row's largest, far under the sum's rounding error."""
    t = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2
    e, f = _exponent(A, axis=1), _exponent(W, axis=1)
    Zs = np.ldexp(A, (t - e)[:, None]) @ np.ldexp(W, (t - f)[:, None]).T
    if factor is not None:
        Zs *= factor
    return np.ldexp(Zs, e[:, None] + f[None, :] - 2 * t)


def _cost_scaled(a_L: np.ndarray, Y: np.ndarray) -> np.floating:
    """The cost when |a - y| is so large (|y| > ~1e154 in float64) that (a - y)^2 or a sum overflows although C
    may be in range: the same sums on (a - y) 2^-e, then times 2^(2e) (ldexp: exact), +-inf only when C is
    beyond range. Terms lost to underflow are below 2^-1074 of the largest: far under C's rounding error."""
    R = a_L - Y
    e = _exponent(R)
    R = np.ldexp(R, -e)
    C = np.mean(0.5 * np.sum(R * R, axis=1) / Y.shape[1])
    return np.ldexp(C, 2 * e)


def _finite(grads: Params) -> bool:
    return all(np.isfinite(g).all() for pair in grads for g in pair)


def _in_range(compute, params: Params, X: np.ndarray, Y: np.ndarray, dtype: np.dtype) -> Params:
    """``compute(params, X, Y)`` (``_grad``, or ``backprop._backprop`` on one example), or, when that overflowed,
    ``_grad_careful`` (on float64 copies for a float32 network, rounded back): an intermediate can overflow
    although every gradient element is in range. What is still +-inf after that is a gradient beyond the
    dtype's range: a ValueError. Runs under the caller's np.errstate (overflow ignored)."""
    grads = compute(params, X, Y)
    if _finite(grads):
        return grads
    X, Y = np.atleast_2d(X), np.atleast_2d(Y)
    if dtype == np.float32:
        wide = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
        g = _grad_careful(wide, X.astype(np.float64), Y.astype(np.float64))
        grads = [(gW.astype(np.float32), gb.astype(np.float32)) for gW, gb in g]
    else:
        grads = _grad_careful(params, X, Y)
    _check_range([(l, g) for l, pair in enumerate(grads, start=1) for g in pair], "the gradient", dtype)
    return grads


def _grad_careful(params: Params, X: np.ndarray, Y: np.ndarray) -> Params:
    """``_grad`` where the plain products overflow. Two things go wrong there, and neither means the gradient
    is beyond range: (W^l)^T delta^l overflows before the multiplication by a small sigma'(z^(l-1)) brings it
    back into range (e.g. |y| ~ 1e300 with hidden units near saturation), and inf * 0 = NaN where a saturated
    unit's sigma' is exactly 0. Here every backward product comes from ``_rows_scaled``, with the multiplication
    by sigma' done before scaling back, so nothing overflows but a true result beyond range, and a unit whose
    sigma' is 0 passes back 0 (as it does whenever (W^l)^T delta^l is finite, however large)."""
    m, n_L = Y.shape
    activations = _forward_all(params, X)
    a_L = activations[-1]
    delta = (a_L - Y) / (n_L * m) * _sigma_prime(a_L)   # a is in [0, 1]: a - y cannot overflow
    ones = np.ones((1, m), delta.dtype)
    grads: Params = []
    for l in range(len(params), 0, -1):
        a_prev = activations[l - 1]
        grads.append((_rows_scaled(delta.T, a_prev.T), _rows_scaled(delta.T, ones)[:, 0]))
        if l > 1:
            delta = _rows_scaled(delta, params[l - 1][0].T, factor=_sigma_prime(a_prev))
    grads.reverse()
    return grads
