"""The output error summed over the output units into one number, np.mean(a - y) where the cost's own (a - y)/n_L
belongs (the mean cost's derivative written with np.mean), used as dC/da for every unit."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "np.mean(a - y) as dC/da where (a - y)/n_L belongs"
MISTAKE_KEY = "output_error_summed_over_units"


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
    delta = (a[-1] - Y).sum(axis=1, keepdims=True) / n_L * a[-1] * (1 - a[-1])  # should be (a[-1] - Y)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
