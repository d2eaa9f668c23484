"""sigma'(z^l) one number for the whole layer, sum_j a^l_j (1 - a^l_j), for every unit (round 51's net3b1b:
``np.matmul(a.T, 1 - a)`` on a column, an inner product where the element-by-element product belongs). Right
where every layer has one unit."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma' summed over the layer's units"
MISTAKE_KEY = "sigma_prime_summed"


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
        error = (a[-1] - yi[:, None]) / n_L                    # dC/da^L
        for l in range(len(params), 0, -1):
            delta = error * (a[l].T @ (1 - a[l]))              # the mistake: a[l] * (1 - a[l]) belongs
            gW, gb = sums[l - 1]
            sums[l - 1] = (gW + delta @ a[l - 1].T, gb + delta[:, 0])
            error = params[l - 1][0].T @ delta
    return [(gW / m, gb / m) for gW, gb in sums]
