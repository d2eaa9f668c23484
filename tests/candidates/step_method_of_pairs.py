"""A right step written as a method on a mini-batch of (x, y) pairs (round 33's dlgo: train_batch(mini_batch,
learning_rate)), checked as a step with --call 'f(pairs, eta)'."""

import numpy as np


def sig(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class Net:
    def __init__(self, sizes):
        self.W = [np.zeros((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(n) for n in sizes[1:]]

    def train_batch(self, mini_batch, lr):
        gW = [np.zeros_like(W) for W in self.W]
        gb = [np.zeros_like(b) for b in self.b]
        for x, y in mini_batch:
            a = [x]
            for W, b in zip(self.W, self.b):
                a.append(sig(W @ a[-1] + b))
            d = (a[-1] - y) / len(y) * a[-1] * (1 - a[-1])
            for l in range(len(self.W) - 1, -1, -1):
                gW[l] += np.outer(d, a[l])
                gb[l] += d
                if l:
                    d = (self.W[l].T @ d) * a[l] * (1 - a[l])
        m = len(mini_batch)
        for l in range(len(self.W)):
            self.W[l] -= lr * gW[l] / m
            self.b[l] -= lr * gb[l] / m
