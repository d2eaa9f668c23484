"""A two-layer backprop that appends a bias unit to the input only: W1 is [W b] of shape (n_1, n_0 + 1), the
bias its last column; W2 (n_2, n_1) has no bias. ``grad(weights, x, y)`` returns [grad W1, grad W2], the first
with its bias column. Right with ``--biases folded-last --no-bias-in output --depth 2``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(weights, x, y):
    W1, W2 = weights
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    X1 = np.hstack([X, np.ones((m, 1), X.dtype)])      # the bias unit, on the input alone
    hidden = sigmoid(X1 @ W1.T)
    output = sigmoid(hidden @ W2.T)
    delta2 = (output - Y) * output * (1 - output) / (n_out * m)
    delta1 = (delta2 @ W2) * hidden * (1 - hidden)
    return [delta1.T @ X1, delta2.T @ hidden]
