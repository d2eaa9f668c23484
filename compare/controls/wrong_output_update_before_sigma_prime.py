"""The output layer's update from the error without sigma'(z^L), the delta sent down with it (round 53's pwong_m2:
the dW_2 line written without dsig(pred_out), the dW_1 line computing its own output delta)."""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "the output layer's update without sigma'(z^L), the recurrence with it"
MISTAKE_KEY = "output_update_before_sigma_prime"


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
    error = (a[-1] - Y) / n_L
    delta = error * a[-1] * (1 - a[-1])
    grads = [(error.T @ a[-2] / m, error.sum(axis=0) / m)]      # the mistake: delta belongs
    for l in range(len(params) - 1, 0, -1):
        delta = delta @ params[l][0] * a[l] * (1 - a[l])
        grads.append((delta.T @ a[l - 1] / m, delta.sum(axis=0) / m))
    return grads[::-1]
