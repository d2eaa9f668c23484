"""A published one-output step without biases (round 32's bwprop_m3): the output weights are updated before the
hidden error reads them, and a loop over each hidden unit's inputs stops one short, so the last input's weight
never moves: a mistake of the hidden layers alone with an update mistake."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    W1, W2 = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a1 = sigmoid(X @ W1.T)
    a2 = sigmoid(a1 @ W2.T)
    d2 = (a2 - Y) * a2 * (1 - a2) / (m * n_L)
    W2_new = W2 - eta * d2.T @ a1
    d1 = (d2 @ W2_new) * a1 * (1 - a1)                       # should read the old W2
    grad_W1 = d1.T @ X
    grad_W1[:, -1] = 0                                       # range(n_0 - 1): the last input skipped
    return [W1 - eta * grad_W1, W2_new]
