"""A look-alike of a class whose training step takes no rate: train(x, y) moves the weights by its own
self.lr = 0.1 (one example, rows). Right as a gradient-descent step at that rate (--eta 0.1)."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class Net:
    def __init__(self, sizes):
        self.weights = [np.zeros((n, n_in)) for n_in, n in zip(sizes, sizes[1:])]
        self.biases = [np.zeros(n) for n in sizes[1:]]
        self.lr = 0.1

    def train(self, x, y):
        acts = [x]
        for W, b in zip(self.weights, self.biases):
            acts.append(_sigmoid(W @ acts[-1] + b))
        delta = (acts[-1] - y) / y.size * acts[-1] * (1 - acts[-1])
        for l in range(len(self.weights) - 1, -1, -1):
            gW, gb = np.outer(delta, acts[l]), delta
            if l:
                delta = (self.weights[l].T @ delta) * acts[l] * (1 - acts[l])
            self.weights[l] = self.weights[l] - self.lr * gW
            self.biases[l] = self.biases[l] - self.lr * gb
