"""A published step whose every value is rounded to 8 decimals (round 45's njiva: np.round(..., 8) on sigma, on
each delta and on the new weights): right math, but W' is off the right step by up to 5e-9 wherever eta * grad
is small. ``mistaken``: the same with sigma' taken of a (sigma(a) (1 - sigma(a))) in every layer."""

import numpy as np


def sigmoid(z):
    return np.round(0.5 + 0.5 * np.tanh(0.5 * z), 8)


def _step(params, x, y, eta, prime):
    acts = [x]
    for W, b in params:
        acts.append(sigmoid(W @ acts[-1] + b))
    delta = np.round((acts[-1] - y) / len(y) * prime(acts[-1]), 8)
    new = []
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new.insert(0, (np.round(W - eta * np.outer(delta, acts[l]), 8), np.round(b - eta * delta, 8)))
        if l:
            delta = np.round(W.T @ delta * prime(acts[l]), 8)
    return new


def step(params, x, y, eta):
    return _step(params, x, y, eta, lambda a: a * (1 - a))


def mistaken(params, x, y, eta):
    return _step(params, x, y, eta, lambda a: sigmoid(a) * (1 - sigmoid(a)))
