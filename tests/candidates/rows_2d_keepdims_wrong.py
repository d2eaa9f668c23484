"""``rows_2d_keepdims.py`` with a classic slip: the output error leaves out sigma'(z^L)
(delta^L = (a^L - y) / n_L, the cross-entropy form, under the quadratic cost)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, X, Y):
    m, n_L = Y.shape
    A = [X]
    for W, b in params:
        A.append(sigmoid(A[-1] @ W.T + b))
    dZ = (A[-1] - Y) / (n_L * m)
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        grads[l] = (dZ.T @ A[l], np.sum(dZ, axis=0, keepdims=True))
        if l:
            dZ = (dZ @ params[l][0]) * A[l] * (1 - A[l])
    return grads
