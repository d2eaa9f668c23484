"""A published full-batch step on rows (round 44's xchen, in its layout) whose bias lines subtract the (m, n_l)
delta itself, never summed over the batch, and a mutant's slip on top (round 44's xchen_m3): grad W^1 alone divided
by m. Right for one example (--data rows-2d); on every batch the biases have the wrong shape, so the slip shows only
in the W' beside them. Summed cost: --scale 'n_L*m'. ``published``: the bias lines alone, the W' right."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _deltas(params, X, Y):
    (W1, b1), (W2, b2) = params
    h = sigmoid(X @ W1 + b1)
    out = sigmoid(h @ W2 + b2)
    d2 = (out - Y) * out * (1 - out)
    return h, d2 @ W2.T * h * (1 - h), d2


def step(params, X, Y, eta):
    (W1, b1), (W2, b2) = params
    h, d1, d2 = _deltas(params, X, Y)
    return [(W1 - eta * X.T @ d1 / X.shape[0], b1 - eta * d1), (W2 - eta * h.T @ d2, b2 - eta * d2)]


def published(params, X, Y, eta):
    (W1, b1), (W2, b2) = params
    h, d1, d2 = _deltas(params, X, Y)
    return [(W1 - eta * X.T @ d1, b1 - eta * d1), (W2 - eta * h.T @ d2, b2 - eta * d2)]
