"""dC/da^{l-1} = (W^l)^T dC/da^l for l < L: the recurrence carries dC/da instead of delta^l = dC/dz^l.

The loop keeps g = dC/da^l and delta^l = g * sigma'(z^l), and updates g from g instead of from delta.
The first step back from the output starts from delta^L, so it is right; every later step misses
sigma'(z^l). Exact for depth 1 and 2; wrong for layers 1..L-2 when depth >= 3.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "depth >= 3: g = W^T g instead of W^T delta"
MISTAKE_KEY = "deep_skips_sigma_prime"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    L = len(params)
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = [(delta.T @ a[L - 1] / m, delta.sum(axis=0) / m)]
    g = delta @ params[L - 1][0]  # dC/da^{L-1} = (W^L)^T delta^L
    for l in range(L - 1, 0, -1):
        delta = g * a[l] * (1 - a[l])  # delta^l = dC/da^l * sigma'(z^l)
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        g = g @ params[l - 1][0]  # should be delta @ W^l
    return grads[::-1]
