"""A from-scratch backprop that keeps each layer as one matrix [W | b] of shape (n_l, n_(l-1) + 1), the bias
its last column, and appends a 1 to each activation (x_aug = [x, 1]); ``grad(layers, x, y)`` returns the
gradients of those matrices. Right with ``--biases folded-last``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def augment(a):
    return np.concatenate([a, np.ones(a.shape[:-1] + (1,), a.dtype)], axis=-1)


def grad(layers, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    acts = [X]
    for M in layers:
        acts.append(sigmoid(augment(acts[-1]) @ M.T))
    delta = (acts[-1] - Y) * acts[-1] * (1 - acts[-1]) / (n_L * m)
    grads = []
    for l in reversed(range(len(layers))):
        grads.insert(0, delta.T @ augment(acts[l]))
        delta = (delta @ layers[l][:, :-1]) * acts[l] * (1 - acts[l])
    return grads
