"""A full-batch step in the style of round 59's koch: the forward pass returns the output layer's z (written for
an identity output) and the loss's gradient is taken of it, (z^L - y), under a sigmoid's sigma'(z^L). Checked
with --batches-only --scale 'n_L*m' (the cost summed over the batch and the units)."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, X, Y, eta):
    a, zs = [X], []
    for W, b in params:
        zs.append(a[-1] @ W.T + b)
        a.append(sigmoid(zs[-1]))
    out = zs[-1]                                     # should be a[-1]: the output's sigma left out
    delta = (out - Y) * a[-1] * (1 - a[-1])
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        new.append((W - eta * delta.T @ a[l - 1], b - eta * delta.sum(axis=0)))
        delta = delta @ W * a[l - 1] * (1 - a[l - 1])
    return new[::-1]
