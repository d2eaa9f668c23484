"""grad W^l = delta^l x^T at every layer from 2 up, x where a^(l-1) belongs (round 47's leomconti, a per-neuron
update whose inputs are never replaced by the layer below's outputs): x's first n_(l-1) entries, 0 past n_0."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from the network's input at every layer"
MISTAKE_KEY = "gradW_uses_input"


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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        n = params[l - 1][0].shape[1]
        inputs = np.zeros((X.shape[0], n), dtype)
        inputs[:, :min(n, X.shape[1])] = X[:, :n]          # the mistake: x, not a^(l-1), from layer 2 up
        A = a[l - 1] if l == 1 else inputs
        grads.append((delta.T @ A / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # (W^l)^T delta^l * sigma'(z^{l-1})
    return grads[::-1]
