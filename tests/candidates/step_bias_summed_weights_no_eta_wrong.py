"""A layer-object step: each bias moved by np.sum(delta) (every unit's delta summed, one value for the layer) and
each W by delta a^T with the learning rate left out of the weights' line alone: a gradient mistake and an update
mistake together."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1]) / m
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new[l] = (W - delta.T @ a[l],                                 # should be times eta
                  b - eta * np.sum(delta))                            # should be delta.sum(axis=0)
        delta = (delta @ W) * a[l] * (1 - a[l])
    return new
