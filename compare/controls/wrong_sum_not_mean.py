"""grad = sum over the batch of the per-example gradients, not their mean (the 1/m is missing).

m times too big for a batch of m; exactly right for one example or a batch of one.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sums over the batch instead of averaging"
MISTAKE_KEY = "sum_not_mean"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    n_L = Y.shape[1]
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0)))  # sums over examples: no / m
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # (W^l)^T delta^l * sigma'(z^{l-1})
    return grads[::-1]
