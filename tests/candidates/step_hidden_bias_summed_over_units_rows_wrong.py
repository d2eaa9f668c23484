"""A published row-layout step (round 42's menezes_m2, in its layout): the hidden bias's step sums its deltas over
the units, axis=1, where the sum over the batch, axis=0, belongs; its (m, 1) sum lands on a (1, n_1) bias, which
raises wherever m > 1 and n_1 > 1 (and moves every b_j alike on a batch of one). Summed cost: --scale 'n_L*m'."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, X, Y, eta):
    (W1, b1), (W2, b2) = params
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    d2 = (Y - a2) * a2 * (1 - a2)
    d1 = d2 @ W2.T * a1 * (1 - a1)
    W2 += eta * a1.T @ d2
    b2 += eta * np.sum(d2, axis=0, keepdims=True)
    W1 += eta * X.T @ d1
    b1 += eta * np.sum(d1, axis=1, keepdims=True)          # axis=0
