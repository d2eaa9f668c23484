"""A step whose grad W is computed transposed, a^(l-1) delta^T (of W^T's shape): it crashes on every layer that is
not square, where W - eta * grad W cannot broadcast, and is wrong in W (b right) on square ones."""

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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1]) / m
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        gW = a[l - 1].T @ delta                    # should be delta.T @ a[l - 1]
        new.append((W - eta * gW, b - eta * delta.sum(axis=0)))
        delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
