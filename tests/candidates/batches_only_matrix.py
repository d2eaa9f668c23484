"""A vectorised mini-batch backprop from a tutorial: it reads the batch size off X (``m = X.shape[0]``) and
indexes Y by column, so it needs X (m, n_0) and Y (m, n_L) and cannot take one 1-D example. Right with
``--batches-only``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, X, Y):
    m, n_L = X.shape[0], Y.shape[1]
    a = [X]
    for W, b in params:
        a.append(sigmoid(a[-1] @ W.T + b))
    d = (a[-1] - Y) * a[-1] * (1 - a[-1]) / (m * n_L)
    out = []
    for l in range(len(params), 0, -1):
        out.insert(0, (d.T @ a[l - 1], d.sum(axis=0)))
        d = (d @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out
