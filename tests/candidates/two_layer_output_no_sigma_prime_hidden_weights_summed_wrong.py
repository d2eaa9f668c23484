"""A two-layer batch backprop with the cross-entropy output error on a squared-error cost (no sigma'(z^2)) and
the hidden layer's weight line without its batch mean (grad W^1 summed, grad b^1 averaged). Two mistakes at
once, the second invisible on one example, where the first alone reproduces the candidate:
``output_missing_sigma_prime`` and ``weights_summed_hidden_layers``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    d2 = (a2 - Y) / (n_out * m)                                  # should carry a2 (1 - a2)
    d1 = (d2 @ W2) * a1 * (1 - a1)
    return [(m * d1.T @ X, d1.sum(axis=0)), (d2.T @ a1, d2.sum(axis=0))]      # grad W^1: a sum
