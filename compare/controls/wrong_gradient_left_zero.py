"""Every gradient left at 0: a backward pass that never writes its buffers (the catalogue's whole-network form of a
loop that never visits a layer; at layer 1 alone it is gradient_left_zero_at_layer_1)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "every gradient left at 0"
MISTAKE_KEY = "gradient_left_zero"


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
        grads.append((np.zeros_like(params[l - 1][0]), np.zeros_like(params[l - 1][1])))  # never written
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
