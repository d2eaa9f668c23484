"""delta^(L-1) = (W^L)^T (1/n_L)(a^L - y) * sigma'(z^(L-1)): the output error is passed down without sigma'(z^L).

grad W^L and grad b^L use the right delta^L; the recurrence starts from the bare error e = (1/n_L)(a^L - y)
instead of delta^L = e * sigma'(z^L), a slip of code that keeps both names. Deeper layers follow the seed.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "hidden error propagated from the output error without sigma'(z^L)"
MISTAKE_KEY = "hidden_from_output_error"


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
    error = (a[-1] - Y) / n_L                  # dC/da^L
    delta = error * a[-1] * (1 - a[-1])        # delta^L, right
    grads = []
    L = len(params)
    for l in range(L, 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            passed = error if l == L else delta    # should be delta^L at l = L too
            delta = (passed @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
