"""A one-output step (a published form: hidden_error = W2.T @ error computed, and the output error used in its
place) whose output layer climbs (+eta): ``hidden_error_unweighted`` and ``output_layer_plus_eta``. The hidden
error reads no weights, so W2 updated before it or after gives the same step: the simpler pair is named."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    error = (a2 - Y) / (n_out * m)
    delta2 = error * a2 * (1 - a2)
    hidden_error = delta2 @ W2                                   # computed, and not used
    delta1 = error * a1 * (1 - a1)                               # should be hidden_error * a1 (1 - a1)
    assert hidden_error.shape == delta1.shape
    return [(W1 - eta * delta1.T @ X, b1 - eta * delta1.sum(axis=0)),
            (W2 + eta * delta2.T @ a1, b2 + eta * delta2.sum(axis=0))]          # +eta: climbs
