"""grad b^l of each hidden layer copied from the layer above: delta^(l+1) summed over the batch where delta^l belongs
(db1 = np.sum(dZ2) for np.sum(dZ1)). It runs only where n_(l+1) is n_l or 1; ``UNIFORM_ONLY``: the kill table and
the tests show its values on the same cases made uniform (every width n_1)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "hidden grad b from the delta of the layer above"
MISTAKE_KEY = "bias_from_delta_above"
UNIFORM_ONLY = True


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
    grads, above = [], None
    for l in range(len(params), 0, -1):
        gb = np.zeros(delta.shape[1], dtype)
        gb += (delta if above is None else above).sum(axis=0) / m  # should be delta.sum(axis=0) / m
        grads.append((delta.T @ a[l - 1] / m, gb))
        if l > 1:
            above = delta
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
