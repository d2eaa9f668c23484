"""A per-unit loop whose hidden sigma' reads the layer's input a^(l-1)_j where its own a^l_j belongs: it runs
wherever n_(l-1) >= n_l (an IndexError elsewhere), unlike the vectorised form, which runs only where they are equal."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1], delta.sum(axis=0)))
        if l > 1:
            error = delta @ params[l - 1][0]
            delta = np.empty_like(error)
            for j in range(error.shape[1]):
                inp = a[l - 2][:, j]                       # should be a[l - 1][:, j]
                delta[:, j] = error[:, j] * inp * (1 - inp)
    return grads[::-1]
