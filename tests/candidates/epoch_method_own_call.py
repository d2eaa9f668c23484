"""A look-alike of a class whose training method takes the whole data and its own keywords: train(data, y,
learn_rate, epochs) runs per-example SGD over the rows, epochs times (b a (1, n_l) row, W in-out: X @ W).
Right, for the cost sum_j (a_j - y_j)^2 (2 n_L times the seed's): --call 'f(x, y, learn_rate=eta, epochs=1)'."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class NeuralNetwork:
    def __init__(self, sizes):
        self.weights = [np.zeros((n_in, n)) for n_in, n in zip(sizes, sizes[1:])]
        self.biases = [np.zeros((1, n)) for n in sizes[1:]]

    def train(self, data, y, learn_rate=0.1, epochs=1000):
        for _ in range(epochs):
            for x, t in zip(data, y):
                acts = [x[None, :]]
                for W, b in zip(self.weights, self.biases):
                    acts.append(_sigmoid(acts[-1] @ W + b))
                delta = -2 * (t - acts[-1]) * acts[-1] * (1 - acts[-1])
                for l in range(len(self.weights) - 1, -1, -1):
                    gW, gb = acts[l].T @ delta, delta
                    if l:
                        delta = (delta @ self.weights[l].T) * acts[l] * (1 - acts[l])
                    self.weights[l] = self.weights[l] - learn_rate * gW
                    self.biases[l] = self.biases[l] - learn_rate * gb
