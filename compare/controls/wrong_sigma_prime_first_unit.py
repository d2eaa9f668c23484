"""Every unit's sigma' is the first unit's, a^l_1 (1 - a^l_1), where a^l_j (1 - a^l_j) belongs (a published sigma'
that loops over the rows of a column and returns inside the loop, after the first row: a 1 x 1 array that
broadcasts over the layer)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "every unit's sigma' taken from the first unit"
MISTAKE_KEY = "sigma_prime_first_unit"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def first_unit(a):
    return a[:, :1] * (1 - a[:, :1])                               # (m, 1): broadcast over the layer's units


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / (n_L * m) * first_unit(a[-1])           # should be a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0)))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * first_unit(a[l - 1])
    return grads[::-1]
