"""One example in the style of round 61's mlp_noWT_m3, for nets of one output: the output delta sent down
through no weights (delta^1 = delta^2 * sigma'(z^1), the published bug), and grad W^1 alone divided by n_0 (a
slip on that line). Checked with --sizes '*-*-1' --depth 2 --one-example."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    h = sigmoid(W1 @ x + b1)
    o = sigmoid(W2 @ h + b2)
    d2 = (o - y) / y.size * o * (1 - o)
    d1 = d2 * h * (1 - h)                         # should be W2.T @ d2 * h * (1 - h)
    return [(np.outer(d1, x) / x.shape[0], d1), (np.outer(d2, h), d2)]   # / n_0 on this line alone
