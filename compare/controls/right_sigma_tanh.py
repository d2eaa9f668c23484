"""Correct: sigma(z) = 1/2 + tanh(z/2)/2 and sigma'(z) = (1 - tanh(z/2)^2)/4, both from z, in NumPy.

Unlike ``right_tanh_sigmoid`` (sigma' = a(1 - a)), sigma' comes from z's own tanh: 1 - t^2 cancels near
|t| = 1, so sigma' is only accurate to about u/4 absolute there (``python -m compare.oracle.reference.sigmatable``), an
error the bound's absolute floor admits.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: sigma and sigma' from tanh(z/2)"


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, sps = [X], []
    for W, b in params:
        t = np.tanh(0.5 * (a[-1] @ W.T + b))
        a.append(0.5 + 0.5 * t)                 # a^l = sigma(z^l)
        sps.append(0.25 * (1 - t * t))          # sigma'(z^l)
    delta = (a[-1] - Y) / n_L * sps[-1]         # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * sps[l - 2]
    return grads[::-1]
