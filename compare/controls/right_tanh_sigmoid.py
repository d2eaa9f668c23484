"""Correct: sigma(z) = 1/2 + tanh(z/2)/2, and sigma'(z) = a(1 - a) from that a.

The same function written with tanh (no exp, nothing to overflow). It is only accurate to about one
ulp of 1 (absolute) where sigma is tiny, a difference from the exp form that rounding bounds allow.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: sigma via tanh"


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
