"""Rows, b as (1, n_l) rows, and grad b summed over the layer's units (axis=1) where the batch axis (axis=0)
belongs: a batch gives an (m, 1) column, one value per example (the published XOR class of the third round)."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def grad(params, X, Y):
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=1, keepdims=True)))   # should be axis=0
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
