"""Every layer's sigma' taken of the layer's input a^(l-1) instead of its own output a^l, the output layer's too
(activations[l] for activations[l + 1] in a loop over the layers).

The shapes agree only where n_(l-1) = n_l (or 1); ``UNIFORM_ONLY``: the kill table shows its values on the same
cases made uniform."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "every layer's sigma' of the layer's input"
MISTAKE_KEY = "sigma_prime_of_input"

UNIFORM_ONLY = True


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-2] * (1 - a[-2])  # should be a[-1] (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 2] * (1 - a[l - 2])  # should be a[l - 1]
    return grads[::-1]
