"""grad W^2 alone computed with the pre-activation z^1 where a^1 belongs, every other layer right: code written
out layer by layer makes its mistake on one line."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W^2 alone with z^1 for a^1"
MISTAKE_KEY = "gradW_uses_z_at_layer_2"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, z = [X], [X]  # a[l] = a^l, z[l] = z^l, one example per row
    for W, b in params:
        z.append(a[-1] @ W.T + b)
        a.append(sigmoid(z[-1]))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        below = z[l - 1] if l == 2 else a[l - 1]  # should be a[l - 1]
        grads.append((delta.T @ below / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
