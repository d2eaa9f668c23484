"""Correct: sigma(z) by the stable two-branch exp form and sigma'(z) = e/(1 + e)^2 with e = exp(-|z|), in NumPy.

e <= 1 never overflows; sigma' from z is accurate to a few u relative everywhere (``python -m
compare.oracle.reference.sigmatable``), where a(1 - a) is only accurate to about u absolute near a = 1.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: stable exp form, sigma' = e/(1+e)^2 from z"


def _sigma(z):
    e = np.exp(-np.abs(z))                      # in (0, 1]
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r), e * r * r   # sigma(z) = 1/(1+e) or e/(1+e); sigma'(z) = e/(1+e)^2


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a, sps = [X], []
    for W, b in params:
        s, sp = _sigma(a[-1] @ W.T + b)
        a.append(s)
        sps.append(sp)
    delta = (a[-1] - Y) / n_L * sps[-1]         # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * sps[l - 2]
    return grads[::-1]
