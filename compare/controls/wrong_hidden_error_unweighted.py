"""delta^(L-1) = (1/n_L)(a^L - y) * sigma'(z^(L-1)): the output error itself is sent down, through no weights.

A slip of names in code that computes hidden_error = (W^L)^T delta^L and then uses the output error in its
place; the shapes agree only where n_L = 1 (broadcast) or n_L = n_(L-1), so this control raises on most drawn
cases. ``SQUARE_ONLY``: the kill table and the tests show its values on the same cases made square. Deeper
layers follow the seed.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the output error sent down as the hidden error, through no weights"
MISTAKE_KEY = "hidden_error_unweighted"
SQUARE_ONLY = True


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    error = (a[-1] - Y) / n_L                  # dC/da^L
    delta = error * a[-1] * (1 - a[-1])        # delta^L, right
    grads = []
    L = len(params)
    for l in range(L, 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            hidden = error if l == L else delta @ params[l - 1][0]    # should be (W^L)^T delta^L at l = L too
            delta = hidden * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
