"""A batch backprop whose output error already carries sigma', (a - y) a (1 - a), and is multiplied by the
derivative again: delta^L = (1/n_L)(a^L - y) * sigma'(z^L)^2, which then goes down the recurrence."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma'(z^L) applied twice in the output delta"
MISTAKE_KEY = "output_sigma_prime_twice"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m = X.shape[0]
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    err = (a[-1] - Y) * a[-1] * (1 - a[-1]) / Y.shape[1]
    delta = err * a[-1] * (1 - a[-1])                                  # should be err itself
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
