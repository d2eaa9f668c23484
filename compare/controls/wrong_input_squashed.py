"""A forward loop that squashes every layer's input, the network's input x too: layer 1 sees sigma(x), so its
z^1 = W^1 sigma(x) + b^1 and grad W^1 = delta^1 (sigma(x))^T; a network other than the seed's (a published NAND
gate's `np.dot(self.weights[i], self.sigmoid(X))`)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the input squashed by sigma before layer 1"
MISTAKE_KEY = "input_squashed"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m = X.shape[0]
    a = [sigmoid(X)]                       # should be X
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
