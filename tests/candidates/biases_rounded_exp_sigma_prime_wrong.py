"""A column-vector student backprop whose forward pass adds its biases through a helper that builds them as
float32 (the rest in float64), and whose sigma' is written exp(-z)/(1 + exp(-z))^2: float64 gradients about 1e-8
relative off, NaN on saturated units. A layer whose biases are zero shows nothing, so the failing cases agree with
a layer's bias left out: that is no layout, the rounding is named."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def d_sigmoid(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


def as_column(b):
    return np.array(b, dtype="float32").reshape(-1, 1)        # should keep b's dtype


def grad(params, x, y):
    a, zs = [np.asarray(x).reshape(-1, 1)], []
    for W, b in params:
        zs.append(W @ a[-1] + as_column(b))
        a.append(sigmoid(zs[-1]))
    n_L = a[-1].shape[0]
    delta = (a[-1] - np.asarray(y).reshape(-1, 1)) / n_L * d_sigmoid(zs[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta @ a[l - 1].T, delta.ravel()))
        if l > 1:
            delta = params[l - 1][0].T @ delta * d_sigmoid(zs[l - 2])
    return out[::-1]
