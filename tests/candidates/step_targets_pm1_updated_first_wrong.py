"""A course's training function, one step: labels in {-1, 1} converted to {0, 1} first, wherever every target
rounds to -1 or 1 (ordinary targets such as 0.7 too), and the output layer's W updated before the hidden error is
sent down through it: two published mistakes, one of them only on some cases."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    if set(np.round(np.unique(Y)).tolist()) <= {-1.0, 1.0}:      # should leave the targets alone
        Y = (Y + 1) / 2
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1]) / m
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        W = W - eta * delta.T @ a[l]
        new[l] = (W, b - eta * delta.sum(axis=0))
        delta = (delta @ W) * a[l] * (1 - a[l])                  # W already updated
    return new
