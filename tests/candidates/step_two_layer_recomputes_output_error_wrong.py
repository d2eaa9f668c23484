"""A two-layer step without biases, weights input-by-output, each gradient line written out from the network's
attributes (a published form), with W2 updated before the hidden layer's line: that line recomputes the output
error's sigma'(H W2) and propagates it through W2, both with the updated W2: ``updated_output_first_recomputed``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


class Net:
    def __init__(self, sizes):
        self.W1 = np.zeros((sizes[0], sizes[1]))
        self.W2 = np.zeros((sizes[1], sizes[2]))

    def train(self, x, y, eta):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        c = 1 / Y.size                                          # (1/n_L) and the batch mean
        H = sigmoid(X @ self.W1)
        O = sigmoid(H @ self.W2)
        self.W2 -= eta * c * H.T @ ((O - Y) * sigmoid_prime(H @ self.W2))
        self.W1 -= eta * c * X.T @ (((O - Y) * sigmoid_prime(H @ self.W2)) @ self.W2.T * sigmoid_prime(X @ self.W1))
