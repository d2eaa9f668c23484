"""grad W^l = delta^l (a^(l-2))^T from layer 2 up: the activation two layers down where a^(l-1) belongs.

A published mutant's slip (the output layer's update of a 2-2-1 net written with the input X for the hidden
activation): layer 1 is right; from layer 2 up the product has shape (n_l, n_(l-2)), which is W^l's only where
n_(l-2) = n_(l-1), so this control returns a gradient of the wrong shape on most drawn cases of depth 2 or more
and wrong values on the rest. ``UNIFORM_ONLY``: the kill table and the tests show its values on the same cases
made uniform (every width n_1).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from the activation two layers down"
MISTAKE_KEY = "gradW_uses_activation_below"
UNIFORM_ONLY = True


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
    L = len(params)
    delta = (a[L] - Y) / (n_L * m) * a[L] * (1 - a[L])
    grads = [None] * L
    grads[L - 1] = (delta.T @ a[L - 2 if L > 1 else 0], delta.sum(axis=0))   # a[L - 1] belongs
    for l in range(L - 1, 0, -1):                      # hidden layer l: delta^l from delta^(l+1)
        delta = (delta @ params[l][0]) * a[l] * (1 - a[l])
        grads[l - 1] = (delta.T @ a[l - 2 if l > 1 else 0], delta.sum(axis=0))   # a[l - 1] belongs
    return grads
