"""Only the seed's single-example backprop is written: a 2-D batch falls through and returns None.

Right for every 1-D example x (n_0,); for any batch (m, n_0), even m = 1, the result is None.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "returns None for a batch"
MISTAKE_KEY = "returns_none_on_batch"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    x, y = np.asarray(x, dtype), np.asarray(y, dtype)
    if x.ndim == 1:
        a = [x[:, None]]  # column vectors, as in the seed
        for W, b in params:
            a.append(sigmoid(W @ a[-1] + b[:, None]))
        delta = (a[-1] - y[:, None]) / len(y) * a[-1] * (1 - a[-1])  # delta^L
        grads = []
        for l in range(len(params), 0, -1):
            grads.append((delta @ a[l - 1].T, delta[:, 0]))
            if l > 1:
                delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])
        return grads[::-1]
    # TODO: batches
