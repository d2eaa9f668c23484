"""A three-layer step (a published form: the output error (y - a) sent down with no sigma'(z^L)) with a mistake
made on top at the first hidden layer alone: sigma' written as z (1 - z) there. Two mistakes of the gradient,
one of them at one layer of three: the pair search tries first the mistakes that reproduce the output layer."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2), (W3, b3) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    z1 = X @ W1.T + b1
    a1 = sigmoid(z1)
    a2 = sigmoid(a1 @ W2.T + b2)
    a3 = sigmoid(a2 @ W3.T + b3)
    delta3 = (a3 - Y) / (n_out * m)                              # should be times a3 (1 - a3)
    delta2 = delta3 @ W3 * a2 * (1 - a2)
    delta1 = delta2 @ W2 * z1 * (1 - z1)                         # should be a1 (1 - a1)
    return [(W1 - eta * delta1.T @ X, b1 - eta * delta1.sum(axis=0)),
            (W2 - eta * delta2.T @ a1, b2 - eta * delta2.sum(axis=0)),
            (W3 - eta * delta3.T @ a2, b3 - eta * delta3.sum(axis=0))]
