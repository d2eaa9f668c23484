"""A one-output gradient whose output bias gradient is np.mean(delta) over every element, a 0-d scalar where (1,)
belongs (its value right for n_L = 1), and whose error has the wrong sign: the shape fails every case and hides the
sign, which the second look, every array read in our shapes, names."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    delta2 = (Y - a2) / n_out * a2 * (1 - a2)                  # should be (a2 - Y)
    delta1 = delta2 @ W2 * a1 * (1 - a1)
    return [(delta1.T @ X / m, delta1.mean(axis=0)), (delta2.T @ a1 / m, np.mean(delta2))]   # np.mean: 0-d
