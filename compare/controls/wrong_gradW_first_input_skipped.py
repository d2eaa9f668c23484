"""A batch backprop whose grad W loop over a layer's inputs starts at 1 (as if index 0 were a bias unit): the first
column of every grad W^l stays 0; grad b and the deltas are right."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the first column of grad W left 0 (a loop over the inputs that starts at 1)"
MISTAKE_KEY = "gradW_first_input_skipped"


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
        gW = np.zeros_like(params[l - 1][0])
        for k in range(1, gW.shape[1]):                                 # should be range(gW.shape[1])
            gW[:, k] = delta.T @ a[l - 1][:, k] / m
        out.append((gW, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
