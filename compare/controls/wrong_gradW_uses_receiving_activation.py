"""A batch backprop whose grad W reads the receiving unit's activation: grad W^l_jk = delta^l_j a^l_j for every
input k (a per-unit loop that reads neurons[l][j] where neurons[l-1][k] belongs); grad b and the deltas right."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from the receiving unit's activation a^l_j where the sending unit's a^(l-1)_k belongs"
MISTAKE_KEY = "gradW_uses_receiving_activation"


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
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        gW = np.repeat((delta * a[l]).sum(axis=0)[:, None] / m, a[l - 1].shape[1], axis=1)   # delta_j a^l_j
        out.append((gW, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
