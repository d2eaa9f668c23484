"""The seed's network and its hand-derived gradient, vectorised over a batch, in NumPy.

Seed notation: z^l = W^l a^{l-1} + b^l, a^l = sigma(z^l), a^0 = x, and per example
    C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2.
A batch's cost is the mean of its examples' costs, so its gradient is the mean of theirs.

A batch is stored one example per row, so the seed's column-vector equations appear transposed:
``Z = A @ W.T + b`` is z^l = W^l a^{l-1} + b^l for every example (row) at once. ``backprop.py`` has
the same algorithm for one example written with column vectors exactly as the seed does.
Values near the dtype's range (a product that overflows) are handled in ``careful.py``.
"""

from __future__ import annotations

import numpy as np

from .careful import _check_range, _cost_scaled, _in_range, _z_scaled
from .params import Params, _as_array, _kind_error, check_inputs, check_params, check_x


def sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^{-z}) = 1/2 + tanh(z/2)/2, elementwise; stable for every finite z, never warning.

    tanh saturates to +-1 instead of overflowing, so z = +-1e300 gives exactly 1 or 0 with no warning, and it
    needs neither the exp form's division nor its data-dependent select.
    Accuracy: absolute error <= ~u everywhere. No formula does better than that near a = 1 (1 - a is only
    known to u there), and sigma'(z) = a(1 - a) and every gradient inherit that absolute error whichever
    end it is at; the oracle's bound (compare/oracle/reference/bound.py) carries an absolute floor for it (8u,
    measured over the sigma formulas people use: ``python -m compare.oracle.reference.sigmatable``).
    """
    z = _real_array(z)
    a = np.multiply(z, 0.5, out=np.empty(z.shape, z.dtype if z.dtype.kind == "f" else np.float64))
    return _sigmoid_from_half(a)


def _sigmoid_from_half(t: np.ndarray) -> np.ndarray:
    """sigma(z) in place of t = z/2: 1/2 + tanh(t)/2, no temporaries."""
    np.tanh(t, out=t)                          # sigma(z) = 1/2 + tanh(z/2)/2
    t *= 0.5
    t += 0.5
    return t


def _forward_all(params: Params, X: np.ndarray) -> list[np.ndarray]:
    """Activations [a^0, a^1, ..., a^L] of a batch X (m, n_0), each (m, n_l)."""
    activations = [X]                          # a^0 = x
    for W, b in params:
        with np.errstate(over="ignore", invalid="ignore"):
            Z = activations[-1] @ W.T          # z^l = W^l a^{l-1} + b^l  (rows are examples: a W^T + b)
            Z += b
        if not np.isfinite(Z).all():           # a product overflowed (|W| |a| near the dtype's limit)
            Z = _z_scaled(activations[-1], W, b)
        Z *= 0.5
        activations.append(_sigmoid_from_half(Z))   # a^l = sigma(z^l), computed in place of z^l
    return activations


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
    For a batch (m rows) the result is the mean of the m per-example gradients. A gradient beyond the
    dtype's range is a ValueError (``careful._in_range``)."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
    with np.errstate(over="ignore", invalid="ignore"):
        return _in_range(_grad, params, X, Y, dtype, _forward_all, _sigma_prime)


def _grad(params: Params, X: np.ndarray, Y: np.ndarray) -> Params:
    """``grad`` for already-validated arrays: X (m, n_0), Y (m, n_L) of the parameters' dtype (``train`` calls
    this at every step without re-validating). Element-wise steps work in place, so that the matrix products
    are nearly all the work."""
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


def _real_array(z) -> np.ndarray:
    """``z`` as an array of real numbers for ``sigmoid`` (ints and bools become float64), else a TypeError."""
    z = _as_array(z, "z")
    if z.dtype.kind not in "fiub":
        raise TypeError(_kind_error(z, "z").replace("expected float32 or float64", "expected real numbers"))
    return z
