"""A look-alike of code that keeps its layers as dicts after an input layer's, which holds no parameters:
net.layers[0] = {'size': n_0}, net.layers[l] = {'weights': W^l, 'bias': b^l}, with gradient(x, y) on one example
or a row batch. Right; checked with --attributes "layers[1:]['weights'],layers[1:]['bias']"."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class Net:
    def __init__(self, sizes):
        self.layers = [{"size": sizes[0]}] + [{"weights": np.zeros((b, a)), "bias": np.zeros(b)}
                                               for a, b in zip(sizes, sizes[1:])]

    def gradient(self, x, y):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        acts = [X]
        for layer in self.layers[1:]:
            acts.append(_sigmoid(acts[-1] @ layer["weights"].T + layer["bias"]))
        m, n_L = Y.shape
        delta = (acts[-1] - Y) / n_L * acts[-1] * (1 - acts[-1])
        grads = []
        for l in range(len(self.layers) - 1, 0, -1):
            grads.append((delta.T @ acts[l - 1] / m, delta.sum(axis=0) / m))
            if l > 1:
                delta = (delta @ self.layers[l]["weights"]) * acts[l - 1] * (1 - acts[l - 1])
        return grads[::-1]
