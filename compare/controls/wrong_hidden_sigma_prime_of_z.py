"""z^l (1 - z^l) where sigma'(z^l) = a^l (1 - a^l) belongs, in the hidden layers only (delta^L right): the
pre-activation passed to a sigmoid_prime(a) that expects the activation."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "z(1 - z) used for sigma'(z) in the hidden layers"
MISTAKE_KEY = "hidden_sigma_prime_of_z"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, z = [X], [X]  # a[l] = a^l, z[l] = z^l, one example per row
    for W, b in params:
        z.append(a[-1] @ W.T + b)
        a.append(sigmoid(z[-1]))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            with np.errstate(over="ignore", invalid="ignore"):
                delta = (delta @ params[l - 1][0]) * z[l - 1] * (1 - z[l - 1])  # should be a^(l-1) (1 - a^(l-1))
    return grads[::-1]
