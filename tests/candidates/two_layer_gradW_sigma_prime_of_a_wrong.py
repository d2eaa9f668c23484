"""A two-layer backprop written out line by line whose grad W1 line takes sigma' at the hidden activation, where
grad b1's line and the output layer are right (the form of a published mutant). Wrong:
``gradW_sigma_prime_of_a`` at layer 1."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    a1 = sigmoid(X @ W1.T + b1)
    a2 = sigmoid(a1 @ W2.T + b2)
    d2 = (a2 - Y) * a2 * (1 - a2) / (n_out * m)
    e1 = d2 @ W2
    d1 = e1 * a1 * (1 - a1)
    dW1 = (e1 * sigmoid(a1) * (1 - sigmoid(a1))).T @ X          # should be d1.T @ X
    return [(dW1, d1.sum(axis=0)), (d2.T @ a1, d2.sum(axis=0))]
