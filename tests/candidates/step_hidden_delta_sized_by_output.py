"""A one-example step written per unit (round 47's msrisujan) whose hidden delta buffer has the output's length,
np.zeros(len(y)), where the hidden layer's belongs: it raises whenever n_1 != n_L (an index past the buffer, or
a buffer that does not reshape to b^1), and is right where n_1 = n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h = sigmoid(W1 @ x + b1)
    a = sigmoid(W2 @ h + b2)
    d2 = (a - y) * a * (1 - a) / len(y)
    d1 = np.zeros(len(y))
    for j in range(len(h)):
        d1[j] = (W2[:, j] @ d2) * h[j] * (1 - h[j])
    d1 = d1.reshape(b1.shape)
    return [(W1 - eta * np.outer(d1, x), b1 - eta * d1), (W2 - eta * np.outer(d2, h), b2 - eta * d2)]
