"""A published layer-object step (round 38's gb_xor, a mutant of it) in our layout: each dense layer averages its
gradient over delta.shape[1], the layer's own width, where delta.shape[0], the batch size, belongs; the error it
passes down is right."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    grad = (acts[-1] - Y) / Y.shape[1]                     # dC/da^L of the batch's mean cost, times m
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        delta = grad * acts[l + 1] * (1 - acts[l + 1])
        n = delta.shape[1]                                  # should be delta.shape[0], the batch size
        new[l] = (W - eta * delta.T @ acts[l] / n, b - eta * delta.sum(axis=0) / n)
        grad = delta @ W
    return new
