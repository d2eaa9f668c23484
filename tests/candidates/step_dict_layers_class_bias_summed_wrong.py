"""A class that keeps its layers' W and b in dicts keyed 1..L (round 41's skywalker), checked through a --call that
copies the oracle's lists into them (f.__self__.W, set by --attributes W,B): its bias step is summed over the
batch, not averaged. The cost is the batch mean of 1/2 sum_j (a_j - y_j)^2: --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class NN:
    def __init__(self, sizes):
        self.w = {l: np.zeros((n, k)) for l, (k, n) in enumerate(zip(sizes[:-1], sizes[1:]), 1)}
        self.b = {l: np.zeros((n, 1)) for l, n in enumerate(sizes[1:], 1)}

    def fit(self, x, y, lr):
        L = len(self.w)
        c_w = {k: np.zeros(v.shape) for k, v in self.w.items()}
        c_b = {k: np.zeros(v.shape) for k, v in self.b.items()}
        for i in range(x.shape[0]):
            h = {0: x[i].reshape(-1, 1)}
            for k in range(1, L + 1):
                h[k] = sigmoid(self.w[k] @ h[k - 1] + self.b[k])
            g = h[L] - y[i].reshape(-1, 1)
            for k in range(L, 0, -1):
                g = g * h[k] * (1 - h[k])
                c_w[k] += g @ h[k - 1].T
                c_b[k] += g
                g = self.w[k].T @ g
        for k in self.w:
            self.w[k] -= lr * c_w[k] / x.shape[0]
            self.b[k] -= lr * c_b[k]                      # / x.shape[0]
