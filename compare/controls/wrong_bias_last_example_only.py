"""A per-example loop that sums grad W over the batch but assigns grad b: nabla_b = delta where nabla_b += delta
belongs, so grad b^l is the last example's delta^l alone, divided by m like grad W (right for one example)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad b from the batch's last example alone (assigned in the loop, not added)"
MISTAKE_KEY = "bias_last_example_only"


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
            gW, _ = nabla[l - 1]
            nabla[l - 1] = (gW + np.outer(delta, a[l - 1]), delta)      # should be gb + delta
            if l > 1:
                delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])
    out = [(gW / m, gb / m) for gW, gb in nabla]
    return out
