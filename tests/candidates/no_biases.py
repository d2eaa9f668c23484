"""A tutorial-style network without biases ("a neural network from scratch": weights only, np.dot, the sigmoid's
derivative written from its output): ``grad(weights, x, y)`` takes the list of W^l and returns the list of
their gradients; ``step`` and ``epoch`` descend them. Right with ``--biases none``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_derivative(a):
    return a * (1 - a)


def grad(weights, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    layers = [X]
    for W in weights:
        layers.append(sigmoid(np.dot(layers[-1], W.T)))
    error = (layers[-1] - Y) / (Y.shape[0] * Y.shape[1])
    delta = error * sigmoid_derivative(layers[-1])
    grads = [None] * len(weights)
    for l in reversed(range(len(weights))):
        grads[l] = np.dot(delta.T, layers[l])
        if l > 0:
            delta = np.dot(delta, weights[l]) * sigmoid_derivative(layers[l])
    return grads


def cost(weights, x, y):
    a = np.atleast_2d(x)
    for W in weights:
        a = sigmoid(np.dot(a, W.T))
    return float(np.mean(0.5 * np.mean((a - np.atleast_2d(y)) ** 2, axis=1)))


def step(weights, x, y, eta):
    return [W - eta * g for W, g in zip(weights, grad(weights, x, y))]


def epoch(weights, X, Y, eta, batch_size):
    for i in range(0, len(X), batch_size):
        weights = step(weights, X[i:i + batch_size], Y[i:i + batch_size], eta)
    return weights


class Network:
    """The same as an object holding its weights only: ``Network(sizes).gradient(x, y)``, and
    ``update(x, y, eta)`` changing ``self.weights`` (an in-place step of an object without biases)."""

    def __init__(self, sizes):
        self.weights = [np.zeros((n, n_prev)) for n_prev, n in zip(sizes[:-1], sizes[1:])]

    def gradient(self, x, y):
        return grad(self.weights, x, y)

    def update(self, x, y, eta):
        self.weights = step(self.weights, x, y, eta)
