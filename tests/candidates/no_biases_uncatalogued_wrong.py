"""A network without biases (params a list of W) whose hidden deltas carry a stray factor 0.37, a mistake no
catalogue entry makes: the report can only locate it, and must not reason from biases it does not have."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def grad(weights, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W in weights:
        a.append(sigmoid(a[-1] @ W.T))
    delta = (a[-1] - Y) / (n_L * m) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(weights), 0, -1):
        grads.append(delta.T @ a[l - 1])
        if l > 1:
            delta = 0.37 * (delta @ weights[l - 1]) * a[l - 1] * (1 - a[l - 1])   # should have no 0.37
    return grads[::-1]
