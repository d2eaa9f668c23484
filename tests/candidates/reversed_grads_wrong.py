"""``reversed_grads.py`` with a classic slip: the bias gradient is averaged where the weights' is summed over
the batch (``delta.mean(axis=0)`` beside ``delta.T @ a``: b's gradient is 1/m of the right one)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    activations = [X]
    for W, b in params:
        activations.append(sigmoid(activations[-1] @ W.T + b))
    delta = (activations[-1] - Y) * activations[-1] * (1 - activations[-1]) / (n_L * m)
    gradients = []
    for layer in range(len(params), 0, -1):
        a_prev = activations[layer - 1]
        gradients.append((delta.T @ a_prev, delta.mean(axis=0)))
        delta = (delta @ params[layer - 1][0]) * a_prev * (1 - a_prev)
    return gradients
