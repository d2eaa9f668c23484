"""A published per-example epoch (round 34's patymunoz, a mutant of it) whose hidden layer's weight step reads the
previous example's input, x[j - 1] (the last row at j = 0), where x[j] belongs: every epoch's first step, run on
one row, is right; each later call's steps differ from the previous call's from the first step on."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def epoch(params, X, Y, eta, k):
    (W1, b1), (W2, b2) = params
    for j in range(X.shape[0]):
        h = _sigmoid(W1 @ X[j] + b1)
        out = _sigmoid(W2 @ h + b2)
        d2 = (out - Y[j]) / Y.shape[1] * out * (1 - out)
        d1 = (W2.T @ d2) * h * (1 - h)
        W2, b2 = W2 - eta * np.outer(d2, h), b2 - eta * d2
        W1, b1 = W1 - eta * np.outer(d1, X[j - 1]), b1 - eta * d1       # X[j] belongs
    return [(W1, b1), (W2, b2)]
