"""Correct: the seed's column-vector equations with the batch as columns, A^l = sigma(W^l A^{l-1} + b^l).

One example per column (n_l, m); grad W^l = delta^l (A^{l-1})^T / m sums over the columns.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: examples as columns"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    A = np.atleast_2d(np.asarray(x, dtype)).T  # (n_0, m)
    Y = np.atleast_2d(np.asarray(y, dtype)).T  # (n_L, m)
    n_L, m = Y.shape
    a = [A]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b[:, None]))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L, (n_L, m)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta @ a[l - 1].T / m, delta.mean(axis=1)))  # grad b^l: mean over the columns
        if l > 1:
            delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])  # delta^{l-1}
    return grads[::-1]
