"""A right backprop whose module also defines cost(e) = e * e, a helper of one number (a posted question's form):
not the cost(params, x, y) the oracle checks, so it is not called."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def cost(e):
    return e * e


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
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
