"""The output error taken from z^L, not a^L: (1/n_L)(z^L - y) * sigma'(z^L), a forward pass that returns the
output layer's pre-activation (written for an identity output) under a sigmoid's backward pass (round 59's koch)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the output error from z^L, not a^L"
MISTAKE_KEY = "output_error_uses_z"


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
        z = a[-1] @ W.T + b
        a.append(sigmoid(z))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (z - Y) / n_L * a[-1] * (1 - a[-1])  # should be (a^L - y): the output's z taken for its a
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # delta^l
    return grads[::-1]
