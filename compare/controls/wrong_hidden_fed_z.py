"""A forward loop that hands each layer's z, not sigma(z), to the layer above (`x = W @ x + b`, sigma(x) kept apart
for the backward pass): z^l = W^l z^(l-1) + b^l for l >= 2, while the backward pass is the seed's, reading
a^(l-1) = sigma(z^(l-1)) and sigma'(z^l) of those z. Right at depth 1."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the hidden layers hand z, not sigma(z), to the layer above"
MISTAKE_KEY = "hidden_fed_z"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m = X.shape[0]
    h, z, a = X, [X], [X]
    for W, b in params:
        h = h @ W.T + b                    # should be a[-1] @ W.T + b
        z.append(h)
        a.append(sigmoid(h))
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
