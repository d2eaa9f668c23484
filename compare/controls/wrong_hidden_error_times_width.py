"""The error passed down multiplied by the width n_l of the layer it reaches: the layer above's delta copied into
n_l rows, multiplied by W^(l+1) and summed over the copies (round 39's nevronska), where one copy belongs."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the hidden error summed over n_l copies"
MISTAKE_KEY = "hidden_error_times_width"


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
            copies = np.repeat(delta[:, None, :], a[l - 1].shape[1], axis=1)  # (m, n_(l-1), n_l)
            delta = (copies @ params[l - 1][0]).sum(axis=1) * a[l - 1] * (1 - a[l - 1])  # one copy belongs
    return grads[::-1]
