"""Two mistakes at once: sigma'(z^L) left out of delta^L (the cross-entropy cost's output error), and grad b^l
summed over the batch while grad W^l is averaged. Neither alone reproduces the values; both together do."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "missing sigma'(z^L) in delta^L, and grad b summed over the batch"
MISTAKE_KEY = ("bias_summed", "output_missing_sigma_prime")


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L                      # should be times sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0)))   # should be delta.sum(axis=0) / m
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
