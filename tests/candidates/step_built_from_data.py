"""A right two-layer step in a class built from its training set and rate (a published course form:
Net(X, y, lr), then forward() and backward() with no arguments, weights input-by-output, no biases): checked
with --make 'Net(x, y, eta)' --call '[f.__self__.forward(), f()][-1]'."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class Net:
    def __init__(self, X, y, lr):
        self.X, self.y, self.lr = X, y, lr
        self.W1 = np.ones((X.shape[1], 3))
        self.W2 = np.ones((3, y.shape[1]))

    def forward(self):
        self.H = sigmoid(self.X @ self.W1)
        self.O = sigmoid(self.H @ self.W2)
        return self.O

    def backward(self):
        c = 1 / self.y.size                                          # (1/n_L) and the batch mean
        d2 = c * (self.O - self.y) * self.O * (1 - self.O)
        d1 = (d2 @ self.W2.T) * self.H * (1 - self.H)
        self.W2 -= self.lr * self.H.T @ d2
        self.W1 -= self.lr * self.X.T @ d1
