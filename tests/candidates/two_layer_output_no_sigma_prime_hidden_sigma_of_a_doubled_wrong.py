"""A two-layer batch backprop with two mistakes of the math (the output delta without sigma'(z^2), the hidden
delta with sigma' taken at a^1) and a cost convention's 2 on top (d/da (a - y)^2 kept, the 1/2 of the cost
dropped): ``output_missing_sigma_prime``, ``hidden_sigma_prime_of_a`` and ``missing_half``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    d2 = 2 * (a2 - Y) / (n_out * m)                              # should carry a2 (1 - a2), and no 2
    s = sigmoid(a1)
    d1 = (d2 @ W2) * s * (1 - s)                                 # should be a1 (1 - a1)
    return [(d1.T @ X, d1.sum(axis=0)), (d2.T @ a1, d2.sum(axis=0))]
