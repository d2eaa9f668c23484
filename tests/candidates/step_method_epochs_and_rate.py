"""A right full-batch trainer in the style of round 60's xing: train(inputs, outputs, epochs, learning_rate) on a
net without biases (W in-out, the cost summed over the batch and the units). Called as the oracle calls a step,
obj.train(x, y, eta), its arguments do not bind; --call 'f(x, y, 1, eta)' calls it as it is written."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


class Net:
    def __init__(self, sizes):
        self.weights = [np.zeros((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]

    def train(self, inputs, outputs, epochs, learning_rate):
        for _ in range(epochs):
            a = [inputs]
            for W in self.weights:
                a.append(sigmoid(a[-1] @ W))
            delta = (outputs - a[-1]) * a[-1] * (1 - a[-1])
            for l in range(len(self.weights) - 1, -1, -1):
                below = delta @ self.weights[l].T * a[l] * (1 - a[l])
                self.weights[l] += learning_rate * a[l].T @ delta
                delta = below
