"""sigma'(z^l) written with the pre-activation, z^l (1 - z^l), where a^l (1 - a^l) belongs (a slip of code that
keeps both z and a and picks the wrong one)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma' written as z(1 - z) instead of a(1 - a)"
MISTAKE_KEY = "sigma_prime_of_z"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, z = [X], [None]
    for W, b in params:
        z.append(a[-1] @ W.T + b)
        a.append(sigmoid(z[-1]))
    delta = (a[-1] - Y) / (n_L * m) * z[-1] * (1 - z[-1])          # should be a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0)))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * z[l - 1] * (1 - z[l - 1])
    return grads[::-1]
