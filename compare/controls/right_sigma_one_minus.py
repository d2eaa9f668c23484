"""Correct: sigma(z) = 1 - sigma(-z) (the stable exp form of sigma(-z)), and sigma'(z) = a(1 - a), in NumPy.

The same function written upside down: where sigma is tiny it is the difference of 1 and a number near 1, so it
is only accurate to about u absolute there (1.5u measured by ``python -m compare.oracle.reference.sigmatable``),
an error the bound's absolute floor admits.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: sigma(z) = 1 - sigma(-z)"


def sigmoid(z):
    e = np.exp(-np.abs(z))                      # sigma(-z) by the two-branch form, no overflow
    r = 1 / (1 + e)
    return 1 - np.where(z <= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
