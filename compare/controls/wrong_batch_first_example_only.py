"""grad = the FIRST example's gradient: x[0], y[0] is used where the whole batch belongs.

Right for one example and for a batch of one; for m > 1 the other examples are ignored.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "batch: returns the first example's gradient"
MISTAKE_KEY = "batch_first_example_only"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def backprop(params, x, y):
    """The seed's backprop for one example, with column vectors."""
    a = [x[:, None]]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b[:, None]))
    delta = (a[-1] - y[:, None]) / len(y) * a[-1] * (1 - a[-1])  # delta^L
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta @ a[l - 1].T, delta[:, 0]))  # grad W^l = delta^l (a^{l-1})^T, grad b^l = delta^l
        if l > 1:
            delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    return backprop(params, X[0], Y[0])  # "x is an example": X[0] is only the first of m
