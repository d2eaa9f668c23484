"""Biases folded into W as its last column; the recurrence slices the folded matrix with the wrong end
([:, 1:] for [:, :-1]): the bias column takes part in (W^(l+1))^T delta^(l+1) and a weight column does not."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "folded [W b] sliced at the wrong end in the recurrence"
MISTAKE_KEY = "folded_slice_last"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    folded = [np.concatenate([W, b[:, None]], axis=1) for W, b in params]  # biases as the last column
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            Wt = folded[l - 1]
            delta = (delta @ Wt[:, 1:]) * a[l - 1] * (1 - a[l - 1])  # should be Wt[:, :-1]
    return grads[::-1]
