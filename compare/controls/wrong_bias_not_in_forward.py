"""The forward pass without b, z^l = W^l a^(l-1) (the + b forgotten), while grad b^l = delta^l of that pass is
returned."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "b left out of the forward pass"
MISTAKE_KEY = "bias_not_in_forward"


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
    for W, _ in params:
        a.append(sigmoid(a[-1] @ W.T))  # the + b forgotten: should be sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # delta^l
    return grads[::-1]
