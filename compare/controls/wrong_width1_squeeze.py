"""grad b^l = squeeze(delta^l 1) / m: np.squeeze turns a width-1 layer's grad b^l into a 0-d scalar.

The batch sum is the seed's matrix form delta^l times a column of ones, squeezed to drop the column.
For a layer with n_l = 1 the squeeze also drops the unit axis: shape () instead of (1,). Values are
right, so a comparison that broadcasts (np.allclose) passes it; exact for nets with no width-1 layer.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad b^l is 0-d when n_l = 1 (np.squeeze)"
MISTAKE_KEY = "width1_squeeze"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    A = np.atleast_2d(np.asarray(x, dtype)).T  # the seed's column vectors: one example per column, (n_0, m)
    Y = np.atleast_2d(np.asarray(y, dtype)).T
    n_L, m = Y.shape
    ones = np.ones((m, 1), dtype)
    a = [A]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b[:, None]))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L, (n_L, m)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta @ a[l - 1].T / m, np.squeeze(delta @ ones) / m))  # should be (delta @ ones)[:, 0]
        if l > 1:
            delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
