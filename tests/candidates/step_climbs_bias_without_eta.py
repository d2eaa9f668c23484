"""A step that climbs (the error y - a under W -= ...) and leaves eta out of its bias line: W' = W + eta grad W,
b' = b + grad b (a published aggregator code of the seventh held-out round)."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (Y - a[-1]) / (n_L * m) * a[-1] * (1 - a[-1])          # should be (a[-1] - Y)
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        new.append((W - eta * delta.T @ a[l - 1], b - delta.sum(axis=0)))   # the bias line without eta
        delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
