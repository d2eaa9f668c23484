"""A batch backprop that writes each layer's delta out again on its grad W line, with sigma' taken at a: grad W^l
= (dC/da^l * sigma(a^l)(1 - sigma(a^l)))^T a^(l-1), while grad b^l and the recurrence use the right delta^l."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W with sigma' at a (sigma(a)(1 - sigma(a))) in place of sigma'(z); grad b and the deltas right"
MISTAKE_KEY = "gradW_sigma_prime_of_a"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m = X.shape[0]
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    error = (a[-1] - Y) / Y.shape[1]                                  # dC/da^L
    out = []
    for l in range(len(params), 0, -1):
        delta = error * a[l] * (1 - a[l])
        s = sigmoid(a[l])
        out.append((((error * s * (1 - s)).T @ a[l - 1]) / m, delta.sum(axis=0) / m))   # should use delta
        error = delta @ params[l - 1][0]
    return out[::-1]
