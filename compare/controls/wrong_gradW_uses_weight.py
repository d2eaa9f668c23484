"""grad W^l_jk = delta^l_j W^l_jk: the weight is written where its input a^(l-1)_k belongs (dC/dw = delta * w).

Seen in published scalar code (one weight per layer, the derivative of w * x taken as w); grad b^l and the deltas
follow the seed.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W^l from delta^l times W^l, where a^(l-1) belongs"
MISTAKE_KEY = "gradW_uses_weight"


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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])          # delta^L
    grads = []
    L = len(params)
    for l in range(L, 0, -1):
        grads.append((delta.sum(axis=0)[:, None] * params[l - 1][0] / m, delta.sum(axis=0) / m))   # W for a^(l-1)
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
