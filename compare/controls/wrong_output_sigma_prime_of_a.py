"""sigma'(a^L) used for sigma'(z^L) in the output layer only: the recurrence is right, delta^L is not.

The output error calls a correctly written sigma_prime(z) with the output a^L instead of z^L (code that keeps
the forward pass's a's, not its z's); the backward loop then writes a^l (1 - a^l), as the seed has it.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma'(a) instead of sigma'(z) in the output layer"
MISTAKE_KEY = "output_sigma_prime_of_a"


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
    delta = (a[-1] - Y) / n_L * sigma_prime(a[-1])  # sigma' of a^L, not of z^L
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # right: sigma'(z^l) = a^l (1 - a^l)
    return grads[::-1]
