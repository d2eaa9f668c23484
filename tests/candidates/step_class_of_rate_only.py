"""A right two-layer step in a class built from its rate alone (a published question's form: NN(learning_rate),
its weights set afterwards, no biases, weights input-by-output): checked with --make 'NN(eta)' --attributes W1+W2,
the arrays set giving the object its sizes."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class NN:
    def __init__(self, learning_rate):
        self.lr = learning_rate

    def train(self, X, Y):
        H = sigmoid(X @ self.W1)
        O = sigmoid(H @ self.W2)
        d2 = (O - Y) / Y.size * O * (1 - O)                        # (1/n_L) and the batch mean
        d1 = (d2 @ self.W2.T) * H * (1 - H)
        self.W2 -= self.lr * H.T @ d2
        self.W1 -= self.lr * X.T @ d1
