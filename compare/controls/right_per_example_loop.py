"""Correct: the seed's single-example backprop (column vectors), looped over the batch and averaged.

delta^L = (1/n_L)(a^L - y) * sigma'(z^L), delta^l = (W^{l+1})^T delta^{l+1} * sigma'(z^l),
grad W^l = delta^l (a^{l-1})^T, grad b^l = delta^l; a batch's gradient is the mean of its examples'.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: per-example loop, then the mean"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def backprop(params, x, y):
    """Gradient for one example x (n_0,), y (n_L,), exactly as the seed writes it."""
    a = [x[:, None]]  # a^0 = x, a column
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b[:, None]))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - y[:, None]) / len(y) * a[-1] * (1 - a[-1])  # delta^L
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta @ a[l - 1].T, delta[:, 0]))  # grad W^l = delta^l (a^{l-1})^T, grad b^l = delta^l
        if l > 1:
            delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])  # delta^{l-1}
    return grads[::-1]


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example is a batch of one
    Y = np.atleast_2d(np.asarray(y, dtype))
    total = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    for x_i, y_i in zip(X, Y):
        for (sum_W, sum_b), (gW, gb) in zip(total, backprop(params, x_i, y_i)):
            sum_W += gW
            sum_b += gb
    return [(sum_W / len(X), sum_b / len(X)) for sum_W, sum_b in total]
