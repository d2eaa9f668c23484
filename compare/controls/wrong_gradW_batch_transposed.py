"""grad W^l = delta^T A^T on rows A (m, n_(l-1)): the activations transposed, the batch's examples read as units
(round 42's rachnaraj, in its output layer); a batch runs only where m = n_(l-1) and raises elsewhere, one
example (1-D) is its right outer product.
``UNIFORM_BATCH_ONLY``: the kill table and the tests show its values on uniform cases whose batches are n_1 wide."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W from the activations transposed"
MISTAKE_KEY = "gradW_batch_transposed"
UNIFORM_BATCH_ONLY = True


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
        A = a[l - 1] if np.ndim(x) == 1 else a[l - 1].T   # one example: its outer product, right
        grads.append((delta.T @ A / m, delta.sum(axis=0) / m))  # a batch: delta^T A^T, raises unless m = n_(l-1)
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # (W^l)^T delta^l * sigma'(z^{l-1})
    return grads[::-1]
