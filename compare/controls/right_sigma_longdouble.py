"""Correct: sigma and sigma' computed in np.longdouble from the dtype's z and rounded once to the dtype; the
rest of the backprop in the network's dtype.

Unlike ``right_longdouble`` (everything in long double), only sigma is more accurate here: a and sigma' are the
correctly rounded values to within 2^-64 relative, so the rest is ordinary rounding in the dtype.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: sigma and sigma' in long double, rounded"


def _sigma(z):
    zl = z.astype(np.longdouble)
    e = np.exp(-np.abs(zl))                     # in (0, 1]
    r = 1 / (1 + e)
    return np.where(zl >= 0, r, e * r).astype(z.dtype), (e * r * r).astype(z.dtype)


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
