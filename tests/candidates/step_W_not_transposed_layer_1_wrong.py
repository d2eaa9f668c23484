"""A step written out for two hidden layers, line by line, whose layer-1 delta uses W^2 where its transpose belongs:
one line wrong, so one layer (check with --depth 3; it runs where n_2 = n_1, and raises elsewhere)."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def step(params, x, y, eta):
    (W1, b1), (W2, b2), (W3, b3) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    a3 = sigmoid(a2 @ W3.T + b3)
    d3 = (a3 - Y) / (n_L * m) * a3 * (1 - a3)
    d2 = (d3 @ W3) * a2 * (1 - a2)
    d1 = (d2 @ W2.T) * a1 * (1 - a1)                               # should be d2 @ W2
    return [(W1 - eta * d1.T @ X, b1 - eta * d1.sum(axis=0)),
            (W2 - eta * d2.T @ a1, b2 - eta * d2.sum(axis=0)),
            (W3 - eta * d3.T @ a2, b3 - eta * d3.sum(axis=0))]
