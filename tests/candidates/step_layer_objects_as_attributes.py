"""A two-layer class whose layers are objects held one per attribute, net.layer1.synaptic_weights and
net.layer2.synaptic_weights (in x out, no biases), trained in place by train(X, Y, iterations) on the summed cost
1/2 sum (a - y)^2 at rate 1: reached with --attributes layer1.synaptic_weights+layer2.synaptic_weights."""

import numpy as np


class NeuronLayer:
    def __init__(self, n_out, n_in):
        self.synaptic_weights = np.zeros((n_in, n_out))


class NeuralNetwork:
    def __init__(self, layer1, layer2):
        self.layer1, self.layer2 = layer1, layer2

    @staticmethod
    def _sigmoid(z):
        return 0.5 + 0.5 * np.tanh(0.5 * z)

    def train(self, X, Y, iterations):
        for _ in range(iterations):
            a1 = self._sigmoid(X @ self.layer1.synaptic_weights)
            a2 = self._sigmoid(a1 @ self.layer2.synaptic_weights)
            delta2 = (Y - a2) * a2 * (1 - a2)
            delta1 = delta2 @ self.layer2.synaptic_weights.T * a1 * (1 - a1)
            self.layer1.synaptic_weights += X.T @ delta1
            self.layer2.synaptic_weights += a1.T @ delta2
