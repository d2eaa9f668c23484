"""The controls' shared gradient (the seed's mean gradient over the rows, in the parameters' dtype); not a control."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def forward(params, X):
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    return a


def mean_grad(params, x, y):
    """[(grad W^l, grad b^l)] of the batch mean cost, x (n_0,) or (m, n_0)."""
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = X.shape[0], Y.shape[1]
    a = forward(params, X)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])   # delta^L, one row per example
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        grads[l] = (delta.T @ a[l] / m, delta.sum(axis=0) / m)
        if l:
            delta = (delta @ params[l][0]) * a[l] * (1 - a[l])   # (W^{l+1})^T delta^{l+1} * sigma'(z^l)
    return grads
