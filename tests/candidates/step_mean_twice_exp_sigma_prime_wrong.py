"""A batch step written from z (the form of a published step): sigma'(z) = exp(-z) / (1 + exp(-z))^2, which is
inf / inf = NaN once exp(-z) overflows (z < -709.8 in float64, -88.7 in float32), and the gradient divided by m
twice. Wrong twice: ``mean_twice``, and ``sigma_exp_overflow`` on the saturated cases."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_prime(z):
    e = np.exp(-z)
    return e / (1 + e) ** 2


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    zs, a = [], [X]
    for W, b in params:
        zs.append(a[-1] @ W.T + b)
        a.append(sigmoid(zs[-1]))
    with np.errstate(over="ignore", invalid="ignore"):
        delta = (a[-1] - Y) * sigmoid_prime(zs[-1]) / (n_L * m)
        new = []
        for l in range(len(params), 0, -1):
            W, b = params[l - 1]
            new.append((W - eta * delta.T @ a[l - 1] / m, b - eta * delta.sum(axis=0) / m))   # m twice
            if l > 1:
                delta = (delta @ W) * sigmoid_prime(zs[l - 2])
    return new[::-1]
