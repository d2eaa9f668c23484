"""A small-library style network: ``Network(sizes, seed)`` needs its seed (no default), draws its own weights
and keeps b as (n_l,) vectors; ``Network.gradient(x, y)`` returns [(grad W, grad b), ...] for one example or a
batch of rows. ``build_network(sizes)`` is the library's factory. The oracle cannot build it as
``Network(sizes)``: it needs ``--make 'Network(sizes, seed=0)'`` (or ``--make 'build_network(sizes)'``)."""

import numpy as np


def build_network(sizes):
    return Network(sizes, seed=42)


class Network:
    def __init__(self, sizes, seed):
        rng = np.random.default_rng(seed)
        self.sizes = list(sizes)
        self.weights = [rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)
                        for n_prev, n in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n) for n in sizes[1:]]

    @staticmethod
    def sigmoid(z):
        return 0.5 + 0.5 * np.tanh(0.5 * z)

    def gradient(self, x, y):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        m, n_L = Y.shape
        acts = [X]
        for W, b in zip(self.weights, self.biases):
            acts.append(self.sigmoid(acts[-1] @ W.T + b))
        delta = (acts[-1] - Y) * acts[-1] * (1 - acts[-1]) / (n_L * m)
        out = []
        for l in range(len(self.weights), 0, -1):
            out.append((delta.T @ acts[l - 1], delta.sum(axis=0)))
            if l > 1:
                delta = (delta @ self.weights[l - 1]) * acts[l - 1] * (1 - acts[l - 1])
        return out[::-1]

    def update(self, x, y, eta):
        """One gradient-descent step in place (``--step FILE:Network.update --make 'Network(sizes, seed=0)'``)."""
        for l, (gW, gb) in enumerate(self.gradient(x, y)):
            self.weights[l] -= eta * gW
            self.biases[l] -= eta * gb
