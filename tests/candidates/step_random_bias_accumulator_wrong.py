"""A step whose bias accumulators start at random values (np.random.uniform where np.zeros belongs) on each call:
b' = b - eta (noise + grad b), W' right. The step is not a function of its inputs: called again on the same case it
moves b elsewhere."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1]) / m
    bias_changes = [np.random.uniform(-0.1, 0.1, b.shape) for _, b in params]  # noqa: NPY002  (np.zeros)
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        bias_changes[l] += delta.sum(axis=0)
        new[l] = (W - eta * delta.T @ a[l], b - eta * bias_changes[l])
        delta = (delta @ W) * a[l] * (1 - a[l])
    return new
