"""A step right but for its sigma', written exp(-z)/(1 + exp(-z))^2 from the pre-activations: inf/inf = NaN where
a unit saturates (z < -88.7 in float32, < -709.8 in float64); every other step is right."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    zs, a = [], [X]
    for W, b in params:
        zs.append(a[-1] @ W.T + b)
        a.append(sigmoid(zs[-1]))
    delta = (a[-1] - Y) / (n_L * m) * sigmoid_prime(zs[-1])
    new = []
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new.insert(0, (W - eta * delta.T @ a[l], b - eta * delta.sum(axis=0)))
        if l:
            delta = delta @ W * sigmoid_prime(zs[l - 1])
    return new
