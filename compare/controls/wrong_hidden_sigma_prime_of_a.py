"""sigma'(a^l) used for sigma'(z^l) in the hidden layers only: delta^L is right, the recurrence is not.

The output error is written with a^L (1 - a^L), as the seed has it; the backward loop then calls a correctly
written sigma_prime(z) with the activation a^l instead of z^l (a classic of hand-written code that keeps a's,
not z's, from the forward pass). Right on one-layer networks, where there is no hidden layer.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma'(a) instead of sigma'(z) in the hidden layers"
MISTAKE_KEY = "hidden_sigma_prime_of_a"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def sigma_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L, right: sigma'(z^L) = a^L (1 - a^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * sigma_prime(a[l - 1])  # sigma' of a^(l-1), not of z^(l-1)
    return grads[::-1]
