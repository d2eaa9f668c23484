"""The same notebook's step with the error's sign right and the output layer's weights updated before the hidden
error is sent down through them: with eta in the output error and again in each update line, every layer moves
at eta^2 and the hidden error reads W^L - eta^2 grad W^L: one gradient mistake, the update order, and the rate."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(X, Y, Wh, bh, wout, bout, lr):
    h = sigmoid(X @ Wh + bh)
    out = sigmoid(h @ wout + bout)
    m, n_L = Y.shape
    d_output = (Y - out) * sigmoid(out) * (1 - sigmoid(out)) * lr   # sigma'(a) for sigma'(z); eta here and below
    wout = wout + h.T @ d_output * lr / (m * n_L)             # should come after d_hidden
    d_hidden = d_output @ wout.T * sigmoid(h) * (1 - sigmoid(h))
    Wh = Wh + X.T @ d_hidden * lr / (m * n_L)
    bh = bh + d_hidden.sum(axis=0) * lr / (m * n_L)
    bout = bout + d_output.sum(axis=0) * lr / (m * n_L)
    return Wh, bh, wout, bout
