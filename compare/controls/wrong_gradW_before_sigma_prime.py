"""grad W^l from the error before sigma'(z^l) is applied, dC/da^l (a^(l-1))^T, while grad b^l and the recurrence use
delta^l: a layer object whose dW is taken from its output gradient instead of its activation's."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from dC/da instead of delta"
MISTAKE_KEY = "gradW_before_sigma_prime"


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
    pre = (a[-1] - Y) / n_L  # dC/da^L
    delta = pre * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((pre.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # should be delta.T @ a[l - 1]
        if l > 1:
            pre = delta @ params[l - 1][0]  # dC/da^(l-1)
            delta = pre * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
