"""One gradient-descent step of a network whose first layer has no bias: ``step(params, x, y, eta)`` takes the
usual (W, b) pairs, never reads b^1 and leaves it as it is; every other layer as the seed's. Right with
``--no-bias-in 1``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for l, (W, b) in enumerate(params):
        a.append(sigmoid(a[-1] @ W.T + (b if l else 0)))        # layer 1 has no bias
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1]) / (n_L * m)
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        new.append((W - eta * delta.T @ a[l - 1], b - eta * delta.sum(axis=0) if l > 1 else b.copy()))
        if l > 1:
            delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
