"""delta^l = W^(l+1) delta^(l+1) * sigma'(z^l): W^(l+1) is used where its transpose belongs.

Written for one example as a column, np.dot(W, delta) where np.dot(W.T, delta) belongs: on a square layer
(n_(l+1) = n_l) the shapes agree and the values are wrong; elsewhere the product fails on the shapes, so this
control raises on most drawn cases. ``SQUARE_ONLY``: the kill table and the tests show its values on the same
cases made square (every layer above the input n_1 wide).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "W used where W^T belongs in the recurrence"
MISTAKE_KEY = "W_not_transposed"
SQUARE_ONLY = True


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    sums = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    for xi, yi in zip(X, Y):
        a = [xi[:, None]]                                      # columns (n, 1)
        for W, b in params:
            a.append(sigmoid(W @ a[-1] + b[:, None]))
        delta = (a[-1] - yi[:, None]) / n_L * a[-1] * (1 - a[-1])
        for l in range(len(params), 0, -1):
            gW, gb = sums[l - 1]
            sums[l - 1] = (gW + delta @ a[l - 1].T, gb + delta[:, 0])
            if l > 1:
                delta = np.dot(params[l - 1][0], delta) * a[l - 1] * (1 - a[l - 1])   # np.dot(W.T, delta)
    return [(gW / m, gb / m) for gW, gb in sums]
