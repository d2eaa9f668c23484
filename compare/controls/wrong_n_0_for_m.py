"""The batch mean divided by the input width n_0 (X.shape[0] of examples-as-columns code, read as m) where
the batch size m belongs, a factor m / n_0 (a published course solution)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "divided by n_0 where m belongs"
MISTAKE_KEY = "n_0_for_m"


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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1]) / X.shape[1]  # should be / X.shape[0], the batch size m
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0)))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
