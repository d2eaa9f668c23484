"""Round 77's mlpc_m2 look-alike: a two-layer class on columns (x is (n_0, m), b a column (n_l, 1)) whose backward
pass updates in place and returns the gradients; the hidden bias's delta is summed over the units (axis=0) where
the sum over the batch (axis=1) belongs. On a batch its own update line raises ((n_1, 1) against (n_1, m)); on one
example it returns grad b^1 of one value."""
import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class TwoLayer:
    def __init__(self, n_in, n_hidden, n_out):
        rng = np.random.default_rng(0)
        self.W1, self.b1 = rng.standard_normal((n_hidden, n_in)), np.zeros((n_hidden, 1))
        self.W2, self.b2 = rng.standard_normal((n_out, n_hidden)), np.zeros((n_out, 1))

    def forward(self, X):
        self.a1 = sigmoid(self.W1 @ X + self.b1)
        self.a2 = sigmoid(self.W2 @ self.a1 + self.b2)
        return self.a2

    def backward(self, X, Y, lr):
        n = X.shape[1]
        delta2 = (self.a2 - Y) / n * self.a2 * (1 - self.a2)
        dW2, db2 = delta2 @ self.a1.T, np.sum(delta2, axis=1, keepdims=True)
        delta1 = (self.W2.T @ delta2) * self.a1 * (1 - self.a1)
        dW1, db1 = delta1 @ X.T, np.sum(delta1, axis=0, keepdims=True)     # axis=1 belongs
        self.W2 -= lr * dW2
        self.b2 -= lr * db2
        self.W1 -= lr * dW1
        self.b1 -= lr * db1
        return dW1, db1, dW2, db2
