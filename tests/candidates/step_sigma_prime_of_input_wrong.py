"""A loop over the layers whose sigma' reads the activations one index short, a[l] for a[l + 1]: every layer's
sigma' taken of its input (round 24's perceptron mutant); vectorised, it runs where n_(l-1) is n_l or 1."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    error = (a[-1] - Y) / (n_L * m)
    new = []
    for l in reversed(range(len(params))):
        W, b = params[l]
        delta = error * a[l] * (1 - a[l])                      # should be a[l + 1] (1 - a[l + 1])
        error = delta @ W
        new.insert(0, (W - eta * delta.T @ a[l], b - eta * delta.sum(axis=0)))
    return new
