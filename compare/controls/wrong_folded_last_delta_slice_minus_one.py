"""A bias unit fed -1 (a threshold), folded into W as its last column with weight -b: the hidden deltas computed
over [a^l; -1] with sigma' written a (1 - a), -2 at the unit, and sliced [1:] where [:-1] belongs, so each unit takes
its right neighbour's delta and the last the bias unit's, 2 b . delta."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "folded hidden deltas over [a; -1] sliced at the wrong end"
MISTAKE_KEY = "folded_last_delta_slice_minus_one"


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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            aug = np.concatenate([a[l - 1], -np.ones((m, 1), dtype)], axis=1)  # [a^(l-1); -1]
            folded = np.concatenate([params[l - 1][0], -params[l - 1][1][:, None]], axis=1)  # [W -b]^l
            full = (delta @ folded) * aug * (1 - aug)  # the bias unit's entry is (-b . delta)(-2)
            delta = full[:, 1:]  # should be full[:, :-1]
    return grads[::-1]
