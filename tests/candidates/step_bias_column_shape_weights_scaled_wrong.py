"""A step in the style of round 56's neuron-object code: each bias handed back as an (n, 1) column where (n,)
belongs (a shape failure), beside weights that move 1.5 times as far as the right step."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    a = [x]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b))
    delta = (a[-1] - y) / y.size * a[-1] * (1 - a[-1])
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new[l] = (W - 1.5 * eta * np.outer(delta, a[l]), (b - eta * delta)[:, None])
        if l:
            delta = W.T @ delta * a[l] * (1 - a[l])
    return new
