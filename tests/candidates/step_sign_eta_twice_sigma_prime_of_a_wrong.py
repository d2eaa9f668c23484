"""A course notebook's full-batch step, rows in-out, with sigma' taken of the activation (sigma(a)(1 - sigma(a))),
eta written in the output error and again in each update line, and the error's sign flipped under +=: it climbs
at eta^2, W' = W + eta^2 grad W of the sigma'(a) gradient: one gradient mistake and two slips of the step's rate."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(X, Y, Wh, bh, wout, bout, lr):
    h = sigmoid(X @ Wh + bh)
    out = sigmoid(h @ wout + bout)
    error = out - Y                                           # should be Y - out under +=
    d_output = error * sigmoid(out) * (1 - sigmoid(out)) * lr   # sigma'(a) for sigma'(z); eta here and below
    d_hidden = d_output @ wout.T * sigmoid(h) * (1 - sigmoid(h))
    m, n_L = Y.shape
    wout = wout + h.T @ d_output * lr / (m * n_L)
    Wh = Wh + X.T @ d_hidden * lr / (m * n_L)
    bh = bh + d_hidden.sum(axis=0) * lr / (m * n_L)
    bout = bout + d_output.sum(axis=0) * lr / (m * n_L)
    return Wh, bh, wout, bout
