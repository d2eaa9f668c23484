"""A batch backprop that reads every layer's input through sigma, the network's input x too: grad W^1 =
delta^1 (sigma(x))^T where delta^1 x^T belongs; every other gradient right."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W^1 from sigma(x) where x belongs"
MISTAKE_KEY = "x_through_sigma_in_gradW"


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
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ (sigmoid(a[0]) if l == 1 else a[l - 1]) / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
