"""A published full-batch step at a fixed rate of 1 on a net without biases (round 43's ru_loy, after James Loy's
XOR network): train(x, y) takes no rate, W += X^T (2 (y - a) sigma'(a) ...): the cost sum over examples and units
of (y - a)^2, --scale '2*n_L*m'. Right under --eta 1."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class NeuralNetwork:
    def __init__(self, sizes):
        self.weights1 = np.zeros((sizes[0], sizes[1]))
        self.weights2 = np.zeros((sizes[1], sizes[2]))

    def train(self, x, y):
        layer1 = sigmoid(x @ self.weights1)
        output = sigmoid(layer1 @ self.weights2)
        d2 = 2 * (y - output) * output * (1 - output)
        d_weights2 = layer1.T @ d2
        d_weights1 = x.T @ ((d2 @ self.weights2.T) * layer1 * (1 - layer1))
        self.weights1 += d_weights1
        self.weights2 += d_weights2
