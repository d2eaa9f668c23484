"""A right step written for one example at a time (np.outer, 1-D x): it raises on every batch. Round 57's weka and
hsizes, run first without --one-example, as a user would."""

import numpy as np


def step(params, x, y, eta):
    a = [x]
    for W, b in params:
        a.append(0.5 * (1 + np.tanh(0.5 * (W @ a[-1] + b))))
    delta = (a[-1] - y) / y.size * a[-1] * (1 - a[-1])
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        new.append((W - eta * np.outer(delta, a[l - 1]), b - eta * delta))
        delta = W.T @ delta * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
