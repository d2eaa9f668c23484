"""A right one-layer step of an object that keeps its one weight matrix as a bare array, self.weight, no list and
no bias (a posted question's form): checked with --attributes weight+ --biases none."""

import numpy as np


class Neuron:
    def __init__(self, sizes):
        self.weight = np.zeros((sizes[1], sizes[0]))

    def train(self, x, y, eta):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        a = 0.5 + 0.5 * np.tanh(0.5 * (X @ self.weight.T))
        delta = (a - Y) / Y.size * a * (1 - a)                      # (1/n_L), the batch mean, sigma'(z)
        self.weight = self.weight - eta * delta.T @ X
