"""grad W^l alone divided by n_(l-1), the length of its input, where the batch size m belongs, grad b^l by m
(round 40's linmin_m3: dW = dz @ a.T / a.shape[0] on a column-major a)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W divided by n_(l-1) for m"
MISTAKE_KEY = "weights_divided_by_fan_in"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / a[l - 1].shape[1], delta.sum(axis=0) / m))  # W: n_(l-1) for m
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
