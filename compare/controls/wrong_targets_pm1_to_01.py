"""A backprop that converts labels in {-1, 1} to {0, 1} first, wherever every target rounds to -1 or 1: ordinary
targets such as 0.7 are moved to 0.85, and the gradient is that of other targets there (right elsewhere)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "targets mapped from {-1, 1} to {0, 1} where every one rounds to +-1"
MISTAKE_KEY = "targets_pm1_to_01"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    if set(np.round(np.unique(Y)).tolist()) <= {-1.0, 1.0}:   # "labels in {-1, 1}": should not touch targets
        Y = (Y + 1) / 2
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
