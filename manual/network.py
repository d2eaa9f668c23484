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

from .params import Params, check_inputs, check_params


def sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^{-z}), elementwise, stable for every finite z, never warning.

    With e = e^{-|z|} (in (0, 1], so it cannot overflow): sigma(z) = 1/(1 + e) for z >= 0 and e/(1 + e)
    for z < 0. Both forms are accurate to a few ulps relative, including tiny sigma(z) for very negative z.
    """
    z = np.asarray(z)
    with np.errstate(under="ignore"):  # e^{-|z|} underflows to 0 for |z| > ~745: the right answer
        e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def _forward_all(params: Params, X: np.ndarray) -> list[np.ndarray]:
    """Activations [a^0, a^1, ..., a^L] of a batch X (m, n_0), each (m, n_l)."""
    activations = [X]
    for W, b in params:
        Z = activations[-1] @ W.T + b          # z^l = W^l a^{l-1} + b^l
        activations.append(sigmoid(Z))         # a^l = sigma(z^l)
    return activations


def forward(params: Params, x) -> np.ndarray:
    """Output a^L of the network: ``(n_L,)`` for one example ``x`` of shape ``(n_0,)``, ``(m, n_L)`` for a batch."""
    params, dtype = check_params(params)
    x, _ = check_inputs(params, dtype, x)
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
    per_example = 0.5 * np.sum((a_L - Y) ** 2, axis=1) / n_L   # C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2
    return dtype.type(np.mean(per_example))                     # batch: mean over examples


def grad(params: Params, x, y) -> Params:
    """Gradient of ``cost`` with respect to every W^l and b^l, in the parameter format.

    Vectorised backprop: one matrix product per layer and direction, no Python loop over examples.
    For a batch (m rows) the result is the mean of the m per-example gradients.
    """
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
    m, n_L = Y.shape
    activations = _forward_all(params, X)
    a_L = activations[-1]
    # delta^L = (1/n_L) (a^L - y) ⊙ sigma'(z^L), with sigma'(z) = a (1 - a); the 1/m of the batch mean is
    # folded in here once, so every gradient below is already the mean over examples.
    delta = (a_L - Y) * (a_L * (1 - a_L)) * (1.0 / (n_L * m))
    grads: Params = []
    for l in range(len(params), 0, -1):
        a_prev = activations[l - 1]
        grads.append((delta.T @ a_prev,        # grad W^l = delta^l (a^{l-1})^T, summed over the batch
                      delta.sum(axis=0)))      # grad b^l = delta^l, summed over the batch
        if l > 1:
            W = params[l - 1][0]
            a = activations[l - 1]
            delta = (delta @ W) * (a * (1 - a))   # delta^{l-1} = (W^l)^T delta^l ⊙ sigma'(z^{l-1})
    grads.reverse()
    return grads
