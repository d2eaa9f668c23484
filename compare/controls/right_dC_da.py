"""Correct: the recurrence carried as g^l = dC/da^l, with delta^l = g^l * sigma'(z^l) and g^{l-1} = (W^l)^T delta^l.

g^L = (1/n_L)(a^L - y); the same equations as the seed, with the output layer no longer a special case.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: recurrence on dC/da"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    g = (a[-1] - Y) / n_L  # g^L = dC/da^L
    grads = []
    for l in range(len(params), 0, -1):
        delta = g * a[l] * (1 - a[l])  # delta^l = dC/da^l * sigma'(z^l)
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        g = delta @ params[l - 1][0]  # g^{l-1} = (W^l)^T delta^l
    return grads[::-1]
