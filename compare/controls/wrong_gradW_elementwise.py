"""grad W^l = delta^l * a^(l-1) element by element, the vector broadcast onto every row of W^l, where the outer
product delta^l (a^(l-1))^T belongs (round 50's bertrand: ``-Err @ Wo * Hidden * (1 - Hidden) * Input.T``).

The product of two vectors of different lengths fails on the shapes, so this control raises wherever
n_l != n_(l-1). ``UNIFORM_ONLY``: the kill table and the tests show its values on the same cases made uniform (every
layer, the input too, n_1 wide).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "grad W an element-by-element product broadcast onto the rows"
MISTAKE_KEY = "gradW_elementwise"
UNIFORM_ONLY = True


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    sums = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    for xi, yi in zip(X, Y):
        a = [xi]                                               # vectors (n,)
        for W, b in params:
            a.append(sigmoid(W @ a[-1] + b))
        delta = (a[-1] - yi) / n_L * a[-1] * (1 - a[-1])
        for l in range(len(params), 0, -1):
            gW, gb = sums[l - 1]
            sums[l - 1] = (gW + delta * a[l - 1], gb + delta)   # the mistake: np.outer(delta, a[l - 1]) belongs
            if l > 1:
                delta = params[l - 1][0].T @ delta * a[l - 1] * (1 - a[l - 1])
    return [(gW / m, gb / m) for gW, gb in sums]
