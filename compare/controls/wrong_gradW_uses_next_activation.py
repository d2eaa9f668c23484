"""grad W^l = delta^l (a^(l+1))^T in the hidden layers: the activation of the layer above where a^(l-1) belongs.

A published slip of Nielsen-style indexing (``activations[-l+1]`` for ``activations[-l-1]``): the output layer
is right; in a hidden layer the product has shape (n_l, n_(l+1)), which is W^l's only where n_(l+1) = n_(l-1),
so this control returns a gradient of the wrong shape on most drawn cases of depth 2 or more and wrong values on
the rest. ``UNIFORM_ONLY``: the kill table and the tests show its values on the same cases made uniform (every
width n_1).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W of a hidden layer from the activation of the layer above"
MISTAKE_KEY = "gradW_uses_next_activation"
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
    grads[L - 1] = (delta.T @ a[L - 1], delta.sum(axis=0))
    for l in range(L - 1, 0, -1):                      # hidden layer l: delta^l from delta^(l+1)
        delta = (delta @ params[l][0]) * a[l] * (1 - a[l])
        grads[l - 1] = (delta.T @ a[l + 1], delta.sum(axis=0))   # a[l - 1] belongs
    return grads
