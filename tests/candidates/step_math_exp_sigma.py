"""A right step whose sigma is written per unit with math.exp, 1/(1 + exp(-z)): math.exp raises OverflowError for
z < -709.8, which saturated units reach (the published loop code of the third held-out round)."""

import math

import numpy as np


def sigmoid(z):
    return np.vectorize(lambda t: 1 / (1 + math.exp(-t)), otypes=[z.dtype])(z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        new.append((W - eta * (delta.T @ a[l - 1]), b - eta * delta.sum(axis=0)))
        delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
