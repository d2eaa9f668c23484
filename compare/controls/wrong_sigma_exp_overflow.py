"""sigma and sigma' written with exp(-z), as much published code writes them: right for moderate z, but exp(-z)
overflows for z < -88.7 (float32) or -709.8 (float64), and sigma'(z) = exp(-z) / (1 + exp(-z))^2 is then
inf / inf = NaN. Only cases with weights large enough to reach such a z show it (the default run's saturating
share, ``cases.draw_saturated_cases``).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "sigma'(z) = exp(-z) / (1 + exp(-z))^2: NaN where exp(-z) overflows"
MISTAKE_KEY = "sigma_exp_overflow"


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return np.exp(-z) / (1.0 + np.exp(-z)) ** 2


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    with np.errstate(over="ignore", invalid="ignore"):   # the overflow is the point; keep the output quiet
        zs, a = [], [X]
        for W, b in params:
            zs.append(a[-1] @ W.T + b)
            a.append(sigmoid(zs[-1]))
        delta = (a[-1] - Y) / n_L * sigmoid_prime(zs[-1])
        grads = []
        for l in range(len(params), 0, -1):
            grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
            if l > 1:
                delta = (delta @ params[l - 1][0]) * sigmoid_prime(zs[l - 2])
    return grads[::-1]
