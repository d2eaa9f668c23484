"""grad W^l = delta^l (z^{l-1})^T: the pre-activation z^{l-1} is used where a^{l-1} belongs.

The forward pass keeps z^l as well as a^l, and the wrong list is read for grad W. For l = 1 the list
starts with x, so layer 1 is right; every grad W^l with l >= 2 is wrong, every grad b^l is right.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W^l uses z^{l-1} instead of a^{l-1}"
MISTAKE_KEY = "gradW_uses_z"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    z, a = [X], [X]  # z[l] = z^l, a[l] = a^l (z[0] is x: there is no z^0)
    for W, b in params:
        z.append(a[-1] @ W.T + b)
        a.append(sigmoid(z[-1]))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ z[l - 1] / m, delta.sum(axis=0) / m))  # should be a[l - 1]
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
