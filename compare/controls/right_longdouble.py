"""Correct: the seed's equations computed in np.longdouble, the result cast back to the network's dtype.

Extended precision (80-bit on x86-64; the same as float64 where longdouble is float64) gives a result
at least as accurate as a float64 computation, then rounded once.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: extended precision, cast back"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    ld = np.longdouble
    X = np.atleast_2d(np.asarray(x, dtype)).astype(ld)  # one example becomes a batch of one
    Y = np.atleast_2d(np.asarray(y, dtype)).astype(ld)
    Ws = [W.astype(ld) for W, _ in params]
    m, n_L = Y.shape
    a = [X]
    for W, (_, b) in zip(Ws, params):
        a.append(sigmoid(a[-1] @ W.T + b.astype(ld)))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append(((delta.T @ a[l - 1] / m).astype(dtype), (delta.sum(axis=0) / m).astype(dtype)))
        if l > 1:
            delta = (delta @ Ws[l - 1]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
