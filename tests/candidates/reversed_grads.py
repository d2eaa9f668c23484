"""A blog-post backprop that collects the gradients while it walks back from the output layer and returns
them in that order: [(grad W^L, grad b^L), ..., (grad W^1, grad b^1)]. Right with ``--grads-reversed``."""

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
        gradients.append((delta.T @ a_prev, delta.sum(axis=0)))
        delta = (delta @ params[layer - 1][0]) * a_prev * (1 - a_prev)
    return gradients
