"""A two-layer gradient with three mistakes at once (a published pair with a slip made on top): the output error
without sigma'(z^L), sigma' taken at a in the hidden layer (sigma(a)(1 - sigma(a))), and the hidden bias summed
over its units too (np.sum(delta1) with no axis). No pair reproduces it: the layered search finds the output
layer's mistake first, then the hidden layer's two."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    delta2 = (a2 - Y) / (n_out * m)                              # should be times a2 (1 - a2)
    s = sigmoid(a1)
    delta1 = delta2 @ W2 * s * (1 - s)                           # should be a1 (1 - a1)
    gb1 = np.full(b1.shape, delta1.sum())                        # should be delta1.sum(axis=0)
    return [(delta1.T @ X, gb1), (delta2.T @ a1, delta2.sum(axis=0))]
