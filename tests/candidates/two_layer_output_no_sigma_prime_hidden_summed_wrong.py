"""A two-layer batch backprop (a published form: the cross-entropy output error on a squared-error cost) with a
second mistake on top: the hidden layer's lines leave out the batch mean (its grad W and grad b are summed over
the batch, the output layer's averaged). Two mistakes at once, the second invisible on one example:
``output_missing_sigma_prime`` and ``sum_not_mean_hidden_layers``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    d2 = (a2 - Y) / n_out                                        # should carry a2 (1 - a2)
    d1 = (d2 @ W2) * a1 * (1 - a1)
    return [(d1.T @ X, d1.sum(axis=0)), (d2.T @ a1 / m, d2.sum(axis=0) / m)]   # layer 1: no / m
