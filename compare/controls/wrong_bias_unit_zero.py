"""The bias folded into W as its last column, the input's bias unit written 0 where 1 belongs (np.zeros for
np.ones): the bias never enters the forward pass and its gradient is 0 (round 53's kathy_m3, beside sigma'(a))."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the bias unit 0: b out of the forward pass, grad b = 0"
MISTAKE_KEY = "bias_unit_zero"


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
        unit = np.zeros((m, 1), dtype)  # the bias unit: should be np.ones
        a.append(sigmoid(np.hstack([a[-1], unit]) @ np.hstack([W, b[:, None]]).T))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        g = delta.T @ np.hstack([a[l - 1], np.zeros((m, 1), dtype)]) / m  # the bias unit's column is 0
        grads.append((g[:, :-1], g[:, -1]))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # delta^l
    return grads[::-1]
