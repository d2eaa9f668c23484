"""A batch backprop whose bias line takes the first row of the deltas, delta[0], where their sum belongs (code
written for one example and run on a batch), while grad W sums every example; both divided by m."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad b from the batch's first example alone (delta[0] for the sum over the batch)"
MISTAKE_KEY = "bias_first_example_only"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m = X.shape[0]
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ a[l - 1] / m, delta[0] / m))          # should be delta.sum(axis=0) / m
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
