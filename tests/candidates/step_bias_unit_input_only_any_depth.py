"""A full-batch step of any depth that appends a bias unit (a column of ones) to the input alone (round 46's nera,
a trask-style net): W^1 is [b W] in-out, (n_0 + 1, n_1), the bias its first row; every layer above it has none.
Right with --biases folded-first --weights in-out --no-bias-in above-first. Mean over the batch, no 1/n_L:
--scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(weights, X, Y, eta):
    A = [np.hstack([np.ones((len(X), 1)), X])]
    for W in weights:
        A.append(sigmoid(A[-1] @ W))
    d = (A[-1] - Y) * A[-1] * (1 - A[-1])
    ds = [d]
    for l in range(len(weights) - 1, 0, -1):
        d = d @ weights[l].T * A[l] * (1 - A[l])
        ds.insert(0, d)
    return [W - eta * a.T @ d / len(X) for W, a, d in zip(weights, A, ds)]
