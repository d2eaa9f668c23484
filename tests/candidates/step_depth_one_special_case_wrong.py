"""A step with a path of its own for a net of one layer, as published code special-cases it: there the output
error lacks sigma'(z^L); at every depth the biases are never updated. No one combination reproduces every failing
step, each depth apart is: output_missing_sigma_prime with bias_not_updated at depth 1, bias_not_updated deeper."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    if len(params) == 1:                                       # one layer: written apart
        delta = (a[1] - Y) / (n_L * m)                         # should be * a[1] * (1 - a[1])
        return [(params[0][0] - eta * delta.T @ X, params[0][1])]
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    new = []
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new.insert(0, (W - eta * delta.T @ a[l], b.copy()))   # should be b - eta * delta.sum(axis=0)
        delta = delta @ W * a[l] * (1 - a[l])
    return new
