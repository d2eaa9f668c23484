"""The three-layer step of step_hidden_sigma_primes_swapped_wrong.py (two hidden lines that took each other's
sigma') with a slip stacked on it: layer 1's weights climb, W1 + eta grad W1, while its bias and every other
layer descend. Two one-layer gradient mistakes and a slip of one line of the update (layer_1_W_plus_eta)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2), (W3, b3) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    a3 = sigmoid(a2 @ W3.T + b3)
    delta3 = (a3 - Y) / (n_out * m) * a3 * (1 - a3)
    delta2 = delta3 @ W3 * a1 * (1 - a1)                         # should be a2 (1 - a2)
    delta1 = delta2 @ W2 * a2 * (1 - a2)                         # should be a1 (1 - a1)
    return [(W1 + eta * delta1.T @ X, b1 - eta * delta1.sum(axis=0)),    # should be W1 - eta ...
            (W2 - eta * delta2.T @ a1, b2 - eta * delta2.sum(axis=0)),
            (W3 - eta * delta3.T @ a2, b3 - eta * delta3.sum(axis=0))]
