"""The output sigma' taken of the error e = y - a^L: e (1 - e) for a^L (1 - a^L) (derfun(error) for
derfun(output))."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "output sigma' of the error"
MISTAKE_KEY = "output_sigma_prime_of_error"


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
    e = Y - a[-1]
    delta = (a[-1] - Y) / n_L * e * (1 - e)  # should be a^L (1 - a^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
