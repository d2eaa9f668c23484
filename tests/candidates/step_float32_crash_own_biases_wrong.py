"""A published layer-object step (round 38's gb_xor) whose math is right: it updates its weights and biases in
place, then formats the loss with Decimal, which refuses a numpy float32 (a TypeError on every float32 case, none
on float64). Its constructor makes float64 zero biases: under --biases none those are left as they are, the loss
becomes a float64 and the crash goes, which is no evidence for that option."""

from decimal import Decimal

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class Net:
    def __init__(self, sizes):
        self.weights = [np.zeros((n, k)) for k, n in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n) for n in sizes[1:]]

    def train(self, x, y, eta):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        m, n_L = Y.shape
        acts = [X]
        for W, b in zip(self.weights, self.biases):
            acts.append(_sigmoid(acts[-1] @ W.T + b))
        delta = (acts[-1] - Y) / (m * n_L) * acts[-1] * (1 - acts[-1])
        for l in range(len(self.weights) - 1, -1, -1):
            W = self.weights[l].copy()
            self.weights[l] -= eta * delta.T @ acts[l]
            self.biases[l] -= eta * delta.sum(axis=0)
            if l:
                delta = (delta @ W) * acts[l] * (1 - acts[l])
        loss = np.mean((acts[-1] - Y) ** 2)
        return f"loss: {Decimal(loss).quantize(Decimal('.000001'))}"
