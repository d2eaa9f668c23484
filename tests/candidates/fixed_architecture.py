"""A class that builds one architecture only, 2-2-1, as tutorials write it (Net() takes no sizes); its gradient
method reads the weights and biases the oracle sets on it."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


class Net:
    def __init__(self):
        self.weights = [np.zeros((2, 2)), np.zeros((1, 2))]
        self.biases = [np.zeros(2), np.zeros(1)]

    def grad(self, x, y):
        (W1, W2), (b1, b2) = self.weights, self.biases
        a1 = sigmoid(W1 @ x + b1)
        a2 = sigmoid(W2 @ a1 + b2)
        d2 = (a2 - y) * a2 * (1 - a2)              # n_L = 1
        d1 = (W2.T @ d2) * a1 * (1 - a1)
        return [(np.outer(d1, x), d1), (np.outer(d2, a1), d2)]
