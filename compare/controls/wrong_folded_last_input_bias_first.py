"""Biases folded into W as its last column, [W b], with the forward pass on [a; 1]; the gradient's input puts the
bias unit first, delta [1; a]^T, so every column of the folded gradient lands one to the right of its own."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "folded [W b] gradient with the bias unit first in its input"
MISTAKE_KEY = "folded_last_input_bias_first"


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
        ones = np.ones((m, 1), dtype)
        full = delta.T @ np.concatenate([ones, a[l - 1]], axis=1) / m  # should be [a[l - 1], ones]
        grads.append((full[:, :-1], full[:, -1]))  # read as [W b]
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
