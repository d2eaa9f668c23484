"""A course-style backprop (Theta matrices, as in Andrew Ng's exercises): each layer is one matrix Theta^l of
shape (n_l, 1 + n_(l-1)), its first column the bias; each activation gets a leading 1. ``grad(thetas, X, y)``
takes the list of Thetas and returns the list of their gradients. Right with ``--biases folded-first``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def add_ones(a):
    return np.hstack([np.ones((a.shape[0], 1), a.dtype), a])


def grad(thetas, X, y):
    A, Y = np.atleast_2d(X), np.atleast_2d(y)
    m, K = Y.shape
    acts = [A]
    for Theta in thetas:
        acts.append(sigmoid(add_ones(acts[-1]) @ Theta.T))
    d = (acts[-1] - Y) * acts[-1] * (1 - acts[-1]) / (m * K)
    Theta_grads = [None] * len(thetas)
    for l in range(len(thetas) - 1, -1, -1):
        Theta_grads[l] = d.T @ add_ones(acts[l])
        if l:
            d = (d @ thetas[l][:, 1:]) * acts[l] * (1 - acts[l])
    return Theta_grads
