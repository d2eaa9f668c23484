"""A published full-batch step (round 39's tiny_nn) that updates its list of weight matrices in place and returns
(weights, output, error): the list it was given is the tuple's first item, read as updated in place. No biases,
the weights in-out, the cost summed over the batch (--biases none --weights in-out --scale 'n_L*m')."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(weights, X, y, learning_rate):
    layers = [np.atleast_2d(X)]
    for W in weights:
        layers.append(_sigmoid(layers[-1] @ W))
    error = np.atleast_2d(y) - layers[-1]
    delta = error * layers[-1] * (1 - layers[-1])
    for i in range(len(weights) - 1, -1, -1):
        grad = layers[i].T @ delta
        if i:
            delta = (delta @ weights[i].T) * layers[i] * (1 - layers[i])
        weights[i] += learning_rate * grad
    return weights, layers[-1], error
