"""sigma' taken of the propagated error: delta^l = e * e (1 - e) with e = (W^(l+1))^T delta^(l+1), where
e * a^l (1 - a^l) belongs.

The "neural network in a few lines" style writes the sigmoid's derivative from its output, ``nonlin(x,
deriv=True) = x * (1 - x)``; a published copy calls it on the layer's error instead of its activation
(``l1_error * nonlin(l1_error, deriv=True)``). The output layer is right.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma' of the hidden error instead of the hidden activation"
MISTAKE_KEY = "hidden_sigma_prime_of_error"


def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(x >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(nonlin(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * nonlin(a[-1], deriv=True)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            error = delta @ params[l - 1][0]
            delta = error * nonlin(error, deriv=True)      # should be nonlin(a[l - 1], deriv=True)
    return grads[::-1]
