"""A per-example loop that sums grad b over the batch but assigns grad W: delta_w = outer(delta, a) where
delta_w += belongs, so grad W^l is the last example's alone, divided by m like grad b (right for one example)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from the batch's last example alone (assigned in the loop, not added)"
MISTAKE_KEY = "weights_last_example_only"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m = X.shape[0]
    nabla = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    for x_i, y_i in zip(X, Y):
        a = [x_i]
        for W, b in params:
            a.append(sigmoid(W @ a[-1] + b))
        delta = (a[-1] - y_i) / len(y_i) * a[-1] * (1 - a[-1])
        for l in range(len(params), 0, -1):
            _, gb = nabla[l - 1]
            nabla[l - 1] = (np.outer(delta, a[l - 1]), gb + delta)      # should be gW + outer(...)
            if l > 1:
                delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])
    out = [(gW / m, gb / m) for gW, gb in nabla]
    return out
