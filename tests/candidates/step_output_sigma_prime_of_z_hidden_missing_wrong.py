"""Round 72's zen_m1: a batch step whose output delta takes sigma' of z (z (1 - z), the published bug) and whose
hidden delta has no sigma' at all (the edit). Wrong: two mistakes, each of one part of the network."""
import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = X.shape[0], Y.shape[1]
    a1 = sigmoid(X @ W1.T + b1)
    z2 = a1 @ W2.T + b2
    a2 = sigmoid(z2)
    delta2 = (a2 - Y) / n_L * z2 * (1 - z2)
    delta1 = delta2 @ W2
    return [(W1 - eta * delta1.T @ X / m, b1 - eta * delta1.mean(axis=0)),
            (W2 - eta * delta2.T @ a1 / m, b2 - eta * delta2.mean(axis=0))]
