"""A two-layer backprop with two published mistakes: grad W^2 comes back transposed, and the hidden delta is
built from the bare output error (no sigma'(z^2)). Where n_2 != n_1 the transpose shows in the shape; where
n_2 = n_1 both show in the values, which a pair reproduces: ``transpose_gradW`` (the shape) and
``hidden_from_output_error`` with ``transpose_gradW_output_layer`` (the values)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    e = (a2 - Y) / (n_out * m)
    d2 = e * a2 * (1 - a2)
    d1 = (e @ W2) * a1 * (1 - a1)                                # should be d2 @ W2
    return [(d1.T @ X, d1.sum(axis=0)), (a1.T @ d2, d2.sum(axis=0))]   # grad W^2 transposed
