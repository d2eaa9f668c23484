"""Right grad W^l and grad b^l, but grad b^l is written into the caller's b^l (an aliased buffer).

The gradient buffers are preallocated with ``b`` where ``np.zeros_like(b)`` was meant, so the returned
values are right and every b^l the caller passed in now holds its gradient.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "overwrites the caller's b^l in place"
MISTAKE_KEY = "mutates_input"


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
        a.append(sigmoid(a[-1] @ W.T + b))
    grads = [(np.zeros_like(W), b) for W, b in params]  # should be np.zeros_like(b): this IS the caller's b
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    for l in range(len(params), 0, -1):
        gW, gb = grads[l - 1]
        gW[...] = delta.T @ a[l - 1] / m
        gb[...] = delta.sum(axis=0) / m
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads
