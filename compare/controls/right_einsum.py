"""Correct: the seed's equations over a batch, every product written with np.einsum.

z^l_ij = sum_k W^l_jk a^{l-1}_ik + b^l_j; grad W^l_jk = (1/m) sum_i delta^l_ij a^{l-1}_ik;
delta^{l-1}_ik = sum_j delta^l_ij W^l_jk * sigma'(z^{l-1}_ik); i runs over the m examples.
"""

from __future__ import annotations

import numpy as np

EXPECT = "right"
MISTAKE = "none: einsum everywhere"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]
    for W, b in params:
        a.append(sigmoid(np.einsum("jk,ik->ij", W, a[-1]) + b))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L, one row per example
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((np.einsum("ij,ik->jk", delta, a[l - 1]) / m, np.einsum("ij->j", delta) / m))
        if l > 1:
            delta = np.einsum("ij,jk->ik", delta, params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
