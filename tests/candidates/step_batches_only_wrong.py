"""A step that takes batches only (X of shape (m, n_0); a 1-D x raises) and climbs: W + eta grad W."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def step(params, X, Y, eta):
    m, n_L = X.shape[0], Y.shape[1]                # a 1-D x has no shape[1]: batches only
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        new.append((W + eta * delta.T @ a[l - 1], b + eta * delta.sum(axis=0)))   # should be W - eta ...
        delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
