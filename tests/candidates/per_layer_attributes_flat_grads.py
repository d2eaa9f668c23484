"""A look-alike of two-layer code that keeps W1, b1, W2, b2 as attributes of its own and returns the gradients as
one flat tuple, dW1, db1, dW2, db2. Right (--attributes W1+W2,b1+b2 --grads flat)."""

import numpy as np


def _s(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


class Net:
    def __init__(self, sizes):
        self.W1 = self.b1 = self.W2 = self.b2 = None

    def backward(self, x, y):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        a1 = _s(X @ self.W1.T + self.b1)
        a2 = _s(a1 @ self.W2.T + self.b2)
        m, n = Y.shape
        d2 = (a2 - Y) / n * a2 * (1 - a2)
        d1 = (d2 @ self.W2) * a1 * (1 - a1)
        return d1.T @ X / m, d1.mean(0), d2.T @ a1 / m, d2.mean(0)
