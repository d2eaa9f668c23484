"""A three-layer step written out layer by layer whose two hidden lines took each other's sigma': delta2 uses
a1 (1 - a1) and delta1 uses a2 (1 - a2) (the shapes agree where the hidden layers are equally wide). Two one-layer
mistakes of one equation at two layers: hidden_sigma_prime_of_input at layer 2 with
hidden_sigma_prime_of_layer_above at layer 1."""

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
    return [(W1 - eta * delta1.T @ X, b1 - eta * delta1.sum(axis=0)),
            (W2 - eta * delta2.T @ a1, b2 - eta * delta2.sum(axis=0)),
            (W3 - eta * delta3.T @ a2, b3 - eta * delta3.sum(axis=0))]
