"""A correct gradient-descent step in step form, no grad function: W <- W - eta * mean grad W, in place."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def step(params, x, y, eta):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = delta @ params[l - 1][0] * a[l - 1] * (1 - a[l - 1])
    for (W, b), (gW, gb) in zip(params, grads[::-1]):
        W -= dtype.type(eta) * gW
        b -= dtype.type(eta) * gb
