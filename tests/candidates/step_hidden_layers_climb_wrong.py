"""A published step whose hidden layers' updates are written in a loop of their own (round 35's neunets_m3, a
mutant of it): there the rate's sign is flipped, so every hidden layer climbs the cost while the output layer
descends. One slip, not the error's sign and the output layer's flipped together."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    acts = [np.asarray(x, float)]
    for W, b in params:
        acts.append(_sigmoid(W @ acts[-1] + b))
    delta = (acts[-1] - y) / len(y) * acts[-1] * (1 - acts[-1])
    new = [None] * len(params)
    W, b = params[-1]
    new[-1] = (W - eta * np.outer(delta, acts[-2]), b - eta * delta)
    for l in range(len(params) - 2, -1, -1):
        delta = (params[l + 1][0].T @ delta) * acts[l + 1] * (1 - acts[l + 1])
        W, b = params[l]
        new[l] = (W + eta * np.outer(delta, acts[l]), b + eta * delta)       # - eta belongs
    return new
