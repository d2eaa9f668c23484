"""sigma(z^l) sigma(1 - z^l) where sigma'(z^l) = sigma(z^l)(1 - sigma(z^l)) belongs: the 1 - moved inside the second
sigma (a published `sigmoid(x) * sigmoid(1 - x)`), in every layer."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma(z) sigma(1 - z) used for sigma'(z)"
MISTAKE_KEY = "sigma_prime_sigma_of_one_minus_z"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def sigmoid_prime(z):
    return sigmoid(z) * sigmoid(1 - z)  # should be sigmoid(z) * (1 - sigmoid(z))


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, z = [X], [X]  # a[l] = a^l, z[l] = z^l, one example per row
    for W, b in params:
        z.append(a[-1] @ W.T + b)  # z^l = W^l a^{l-1} + b^l
        a.append(sigmoid(z[-1]))
    delta = (a[-1] - Y) / n_L * sigmoid_prime(z[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * sigmoid_prime(z[l - 1])
    return grads[::-1]
