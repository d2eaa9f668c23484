"""A published one-example step, any depth (round 46's weights_ru): the learning rate sits inside sigma'
(deriv(a) = a (1 - a) * alpha), which every level of the recurrence applies, and the update adds a^T delta without
it: layer l moves eta^(L - l + 1) times its gradient, the output layer right. Right only at eta = 1 or on one
layer. Error y - a, 1/2 without 1/n_L: --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def deriv_sigmoid(a, alpha):
    return a * (1 - a) * alpha


def training(x, y, weights, biases, alpha):
    layers = [x]
    for W, b in zip(weights, biases):
        layers.append(sigmoid(layers[-1] @ W + b))
    delta = (y - layers[-1]) * deriv_sigmoid(layers[-1], alpha)
    deltas = [delta]
    for i in range(len(weights) - 1, 0, -1):
        delta = delta @ weights[i].T * deriv_sigmoid(layers[i], alpha)
        deltas.insert(0, delta)
    for i in range(len(weights)):
        weights[i] += np.outer(layers[i], deltas[i])
        biases[i] += deltas[i]
