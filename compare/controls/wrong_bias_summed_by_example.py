"""grad b^l summed over the wrong axis of the batch's rows (np.sum(delta, axis=1) for axis=0): each example's delta^l
summed over the layer's units, the m sums added onto b^l's gradient, which runs only where m is 1 or n_l.
``UNIFORM_BATCH_ONLY``: the kill table and the tests show its values on uniform cases whose batches are n_1 wide."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad b summed over the units, example by example"
MISTAKE_KEY = "bias_summed_by_example"
UNIFORM_BATCH_ONLY = True


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
        gb = np.zeros(delta.shape[1], dtype)
        gb += delta.sum(axis=1) / m  # should be delta.sum(axis=0) / m
        grads.append((delta.T @ a[l - 1] / m, gb))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
