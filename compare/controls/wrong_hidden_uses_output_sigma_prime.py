"""delta^l = (W^{l+1})^T (delta^{l+1} * sigma'(z^{l+1})) * sigma'(z^l): sigma' of the layer above applied again.

delta^{l+1} already contains sigma'(z^{l+1}); multiplying by it a second time on W's output side is
wrong in every hidden layer (depth >= 2). The output layer's gradient is right.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "extra sigma'(z^{l+1}) in the delta^l recurrence"
MISTAKE_KEY = "hidden_uses_output_sigma_prime"


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
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            s = a[l] * (1 - a[l])  # sigma'(z^l) of the layer above: already inside delta^l
            delta = ((delta * s) @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
