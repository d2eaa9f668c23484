"""An object that keeps its parameters as ``self.W`` and ``self.b`` lists (not ``weights``/``biases``): checked with
``--attributes W,b`` (``FILE.py:Net.gradient`` and ``FILE.py:Net.update --step``); without it the oracle's
parameters land on attributes the class never reads."""

import numpy as np


class Net:
    def __init__(self, sizes):
        rng = np.random.default_rng(0)
        self.W = [rng.standard_normal((n, n_prev)) for n_prev, n in zip(sizes[:-1], sizes[1:])]
        self.b = [rng.standard_normal(n) for n in sizes[1:]]

    @staticmethod
    def sigmoid(z):
        return 0.5 + 0.5 * np.tanh(0.5 * z)

    def gradient(self, x, y):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        m, n_L = Y.shape
        a = [X]
        for W, b in zip(self.W, self.b):
            a.append(self.sigmoid(a[-1] @ W.T + b))
        delta = (a[-1] - Y) * a[-1] * (1 - a[-1]) / (n_L * m)
        out = []
        for l in range(len(self.W), 0, -1):
            out.append((delta.T @ a[l - 1], delta.sum(axis=0)))
            if l > 1:
                delta = (delta @ self.W[l - 1]) * a[l - 1] * (1 - a[l - 1])
        return out[::-1]

    def update(self, x, y, eta):
        grads = self.gradient(x, y)
        self.W = [W - eta * gW for W, (gW, _) in zip(self.W, grads)]
        self.b = [b - eta * gb for b, (_, gb) in zip(self.b, grads)]
