"""A step of a published form (a loop over layer dicts) with three bugs of its own and a slip made on top: the output
error without sigma'(z^L), every bias moved by the same np.sum(delta) with no axis, each layer's W updated before
the layer below reads it, and sigma'(z^l) dropped from the hidden recurrence. Four mistakes at once: the layered
search reproduces the output layer's update first, then carries each combination down a layer."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    acts = [X]
    for W, b in params:
        acts.append(sigmoid(acts[-1] @ W.T + b))
    new = [[W.copy(), b.copy()] for W, b in params]
    delta = (acts[-1] - Y) / (n_out * m)                         # should be times a^L (1 - a^L)
    for l in range(len(params) - 1, -1, -1):
        new[l][0] -= eta * delta.T @ acts[l]
        new[l][1] -= eta * np.sum(delta)                         # should be delta.sum(axis=0)
        if l:
            delta = delta @ new[l][0]                            # new W: should be params[l][0]; and no sigma'(z)
    return [tuple(p) for p in new]
