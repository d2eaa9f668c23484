"""A gradient with a dropout mask drawn inside (np.random.rand > 0.5 on the hidden activations, never scaled back
or fixed): each call drops other units, so the same case gives another gradient."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for l, (W, b) in enumerate(params):
        h = sigmoid(a[-1] @ W.T + b)
        if l < len(params) - 1:
            h = h * (np.random.rand(*h.shape) > 0.5)  # noqa: NPY002  (a training-time mask left in the gradient)
        a.append(h)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
