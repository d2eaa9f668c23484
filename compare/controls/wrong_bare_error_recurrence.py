"""Error-style backprop that never applies sigma' on the way down: e^l = (W^(l+1))^T e^(l+1) from the bare output
error e^L = (1/n_L)(a^L - y); each layer's delta^l = e^l * sigma'(z^l) is used for its own gradients only.

A published layer class slips this way when ``backpropagate(errors)`` keeps ``errors * derivative`` for itself
but returns ``W @ errors`` instead of ``W @ (errors * derivative)``. At depth 2 it is ``hidden_from_output_error``.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the bare error propagated at every level (no sigma' on the way down)"
MISTAKE_KEY = "bare_error_recurrence"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    errors = (a[-1] - Y) / n_L                      # dC/da^L
    grads = []
    for l in range(len(params), 0, -1):
        delta = errors * a[l] * (1 - a[l])          # this layer's delta^l
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        errors = errors @ params[l - 1][0]          # should be delta @ W^l
    return grads[::-1]
