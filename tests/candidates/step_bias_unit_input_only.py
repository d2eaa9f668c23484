"""A two-layer network whose bias unit is on the input alone (W1 [W b], (n_1, n_0 + 1); W2 (n_2, n_1), no
bias), trained one step at a time in place: ``Net(sizes).train(x, y, eta)``. Right with ``--biases folded-last
--no-bias-in output --depth 2``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class Net:
    def __init__(self, sizes):
        n0, n1, n2 = sizes
        rng = np.random.default_rng(0)
        self.weights = [rng.normal(size=(n1, n0 + 1)), rng.normal(size=(n2, n1))]

    def train(self, x, y, eta):
        W1, W2 = self.weights
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        m, n_out = Y.shape
        X1 = np.hstack([X, np.ones((m, 1), X.dtype)])
        hidden = sigmoid(X1 @ W1.T)
        output = sigmoid(hidden @ W2.T)
        delta2 = (output - Y) * output * (1 - output) / (n_out * m)
        delta1 = (delta2 @ W2) * hidden * (1 - hidden)
        W2 -= eta * (delta2.T @ hidden)
        W1 -= eta * (delta1.T @ X1)
