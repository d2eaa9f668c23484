"""sigma'(z) := 0 where a < 0.01 or a > 0.99: saturated units are treated as dead.

An "optimisation": sigma'(z) is small there, but not zero. Wrong only when some |z| > ~4.6.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma'(z) set to 0 for saturated units"
MISTAKE_KEY = "dead_unit_shortcut"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def sigma_prime(a):
    return np.where((a < 0.01) | (a > 0.99), 0, a * (1 - a))  # "dead" units: skip them


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * sigma_prime(a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * sigma_prime(a[l - 1])
    return grads[::-1]
