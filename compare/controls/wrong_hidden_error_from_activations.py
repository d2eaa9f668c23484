"""delta^l = (W^(l+1))^T (1/n_L) a^(l+1) * sigma'(z^l): the layer above's activations are sent down where its
deltas belong (a neuron's 'output' read where its 'delta' belongs, in code that keeps both per neuron)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the layer above's activations sent down for its deltas"
MISTAKE_KEY = "hidden_error_from_activations"


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
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (a[l] / n_L @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])   # a^(l+1) for delta^(l+1)
    return grads[::-1]
