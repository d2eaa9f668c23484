"""A batch step on rows, in the style of round 55's published trainer: the right step, then every weight clipped
to [-4, 4] (np.clip), which the drawn cases' large weights reach. Not gradient descent on the seed's cost."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    m, n_L = Y.shape
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new[l] = (np.clip(W - eta * delta.T @ a[l] / m, -4, 4), b - eta * delta.mean(axis=0))
        if l:
            delta = delta @ W * a[l] * (1 - a[l])
    return new
