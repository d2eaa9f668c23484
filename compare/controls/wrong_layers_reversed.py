"""The right gradients handed back in reverse layer order, output layer first (a backward loop that appends).

Where the layer sizes do not read the same both ways the shapes are wrong (the report then names
``--grads-reversed``, the layout that reads them); on a net of one width the values are wrong. ``UNIFORM_ONLY``:
the kill table and the tests show its values on the same cases made uniform (every width n_1).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the gradients in reverse layer order"
MISTAKE_KEY = "layers_reversed"
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
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0)))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads                                        # should be grads[::-1]
