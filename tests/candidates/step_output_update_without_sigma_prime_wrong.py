"""A batch step on rows, in the style of round 53's published notebook (the summed cost: --scale 'n_L*m'): the
output layer's update line leaves sigma'(z^L) out, while the hidden line computes its own output delta with it."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h = sigmoid(x @ W1.T + b1)
    out = sigmoid(h @ W2.T + b2)
    dW2 = (out - y).T @ h                                   # * out * (1 - out) left out
    db2 = (out - y).sum(axis=0)
    d1 = ((out - y) * out * (1 - out)) @ W2 * h * (1 - h)   # its own output delta, with sigma'
    return [(W1 - eta * d1.T @ x, b1 - eta * d1.sum(axis=0)), (W2 - eta * dW2, b2 - eta * db2)]
