"""grad b^l taken from the error before sigma'(z^l): dC/da^l where delta^l = dC/da^l * sigma'(z^l)
belongs, in every layer (grad W^l right), as a loop that stores its bias gradient one line too early."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad b = dC/da, before sigma'"
MISTAKE_KEY = "bias_before_sigma_prime"


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
    error = (a[-1] - Y) / n_L  # dC/da^L
    grads = []
    for l in range(len(params), 0, -1):
        delta = error * a[l] * (1 - a[l])  # delta^l = dC/da^l * sigma'(z^l)
        grads.append((delta.T @ a[l - 1] / m, error.sum(axis=0) / m))  # should be delta.sum(axis=0) / m
        error = delta @ params[l - 1][0]  # dC/da^(l-1) = (W^l)^T delta^l
    return grads[::-1]
