"""grad W^l = delta^l (a^l)^T: the layer's own activation where a^(l-1) belongs, an index off by one.

In a loop over an activations list, ``activations[l]`` for ``activations[l - 1]``: the product has shape
(n_l, n_l), which is W^l's only where n_l = n_(l-1), so this control returns a gradient of the wrong shape on most
drawn cases and wrong values on the rest. ``UNIFORM_ONLY``: the kill table and the tests show its values on the
same cases made uniform (every width n_1).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from the layer's own activation (index off by one)"
MISTAKE_KEY = "gradW_uses_own_activation"
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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l] / m, delta.sum(axis=0) / m))    # should be a[l - 1]
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
