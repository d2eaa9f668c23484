"""``folded_bias_first.py`` with a classic slip of Theta code: the hidden error is propagated through the whole
Theta, bias column included, and then the wrong column is dropped (d @ Theta, then its last column removed
instead of its first)."""

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
            d = (d @ thetas[l])[:, :-1] * acts[l] * (1 - acts[l])
    return Theta_grads
