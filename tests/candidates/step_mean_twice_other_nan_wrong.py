"""A batch step divided by m twice that also writes NaN into W^l[0, 0] wherever |W^l| exceeds 30 (a NaN of its
own, no exp overflow): the NaN steps must not be explained as sigma written with exp(-z)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)
def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1]) / (n_L * m)
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        nW, nb = W - eta * delta.T @ a[l - 1] / m, b - eta * delta.sum(axis=0) / m
        if np.abs(W).max() > 30:
            nW = nW.copy()
            nW[0, 0] = np.nan
        new.append((nW, nb))
        if l > 1:
            delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
