"""The backward loop over the layers in forward order (``for l in range(1, L + 1)`` where ``reversed`` belongs):
layer 1 takes the output's dC/da^L, and each layer passes (W^l)^T delta^l up to the next.

The shapes chain only where every width is the same, so this control crashes on most drawn cases and gives wrong
values on the rest. ``UNIFORM_ONLY``: the kill table and the tests show its values on the same cases made
uniform (every width n_1).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "backward loop in forward layer order"
MISTAKE_KEY = "backward_in_forward_order"
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
    dA = (a[-1] - Y) / n_L  # dC/da^L
    grads = []
    for l in range(1, len(params) + 1):  # should be range(len(params), 0, -1)
        delta = dA * a[l] * (1 - a[l])
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        dA = delta @ params[l - 1][0]
    return grads
