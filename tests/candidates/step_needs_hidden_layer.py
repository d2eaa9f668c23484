"""A right step in the style of round 59's koch, whose backward pass reads the layer below the output's weights
before its loop (params[-2]): it raises IndexError on every net of depth 1 and is right on every deeper one."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    below = params[-2][0]                            # raises where L = 1
    a = [x]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b))
    delta = (a[-1] - y) / y.size * a[-1] * (1 - a[-1])
    new = [(params[-1][0] - eta * np.outer(delta, a[-2]), params[-1][1] - eta * delta)]
    delta = params[-1][0].T @ delta * a[-2] * (1 - a[-2])
    for l in range(len(params) - 1, 0, -1):
        W, b = params[l - 1]
        new.append((W - eta * np.outer(delta, a[l - 1]), b - eta * delta))
        delta = W.T @ delta * a[l - 1] * (1 - a[l - 1])
    assert below.shape == params[-2][0].shape
    return new[::-1]
