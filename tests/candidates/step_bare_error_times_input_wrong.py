"""A one-example step without biases, in the style of round 50's published code: the hidden line sends the bare
error back without the output's sigma', and multiplies by x element by element where the outer product belongs;
W1 - eta * g broadcasts that vector onto every row of W1 (it runs only where n_1 = n_0). Two mistakes."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    W1, W2 = params
    hidden = sigmoid(W1 @ x)
    out = sigmoid(W2 @ hidden)
    err = y - out
    g2 = -np.outer(err * out * (1 - out), hidden)
    g1 = -(err @ W2) * hidden * (1 - hidden) * x       # the error without out (1 - out); * where np.outer belongs
    return [W1 - eta * g1, W2 - eta * g2]
