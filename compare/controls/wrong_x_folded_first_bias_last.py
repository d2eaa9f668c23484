"""Biases folded into W as its first column, the forward pass on [1; a]; layer 1's gradient input alone is built as
[x; 1] (the input augmented on its own, at the other end), the other layers right."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "layer 1's folded gradient with the bias unit last"
MISTAKE_KEY = "x_folded_first_bias_last"


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
        parts = [a[l - 1], ones] if l == 1 else [ones, a[l - 1]]  # should be [ones, a[l - 1]] for l = 1 too
        full = delta.T @ np.concatenate(parts, axis=1) / m
        grads.append((full[:, 1:], full[:, 0]))  # read as [b W]
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
