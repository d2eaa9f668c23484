"""A published one-example step (round 39's nevronska, Slovenian): the output delta copied into n_1 rows, multiplied
by W^2 and summed over the copies, so the hidden error is n_1 (W^2)^T delta^2, with no sigma'(z^1) after it; the
output layer is right. Two departures from the seed in one line."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h = _sigmoid(W1 @ x + b1)
    out = _sigmoid(W2 @ h + b2)
    d2 = (out - y) / len(y) * out * (1 - out)
    copies = np.array([d2 for _ in range(len(h))])           # (n_1, n_2)
    d1 = np.dot(copies, W2).sum(axis=0)                       # (W2.T @ d2) * h * (1 - h) belongs
    return [(W1 - eta * np.outer(d1, x), b1 - eta * d1), (W2 - eta * np.outer(d2, h), b2 - eta * d2)]
