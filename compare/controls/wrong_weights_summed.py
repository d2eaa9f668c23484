"""grad W^l = sum_i delta^l_i (a^(l-1)_i)^T while grad b^l = (1/m) sum_i delta^l_i: the weight gradient is summed
over the batch where the bias gradient is averaged (m times too large for m > 1; right for one example)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W summed over the batch, grad b averaged"
MISTAKE_KEY = "weights_summed"


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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0) / m))   # should be delta.T @ a[l - 1] / m
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
