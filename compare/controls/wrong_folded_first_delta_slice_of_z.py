"""Biases folded into W as its first column; the hidden deltas computed over [1; z^l] with sigma' written of z (the
bias unit's is sigma'(1) times [b W]^T delta's first entry, b . delta) and sliced [:-1] where [1:] belongs, so each
unit takes its left neighbour's delta and the first the bias unit's."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "folded hidden deltas over [1; z] sliced at the wrong end"
MISTAKE_KEY = "folded_first_delta_slice_of_z"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, z = [X], [X]  # a[l] = a^l, z[l] = z^l, one example per row
    for W, b in params:
        z.append(a[-1] @ W.T + b)  # z^l = W^l a^{l-1} + b^l
        a.append(sigmoid(z[-1]))
    delta = (a[-1] - Y) / n_L * sigmoid_prime(z[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            aug = np.concatenate([np.ones((m, 1), dtype), z[l - 1]], axis=1)  # [1; z^(l-1)]
            folded = np.concatenate([params[l - 1][1][:, None], params[l - 1][0]], axis=1)  # [b W]^l
            full = (delta @ folded) * sigmoid_prime(aug)  # the bias unit's entry is b . delta * sigma'(1)
            delta = full[:, :-1]  # should be full[:, 1:]
    return grads[::-1]
