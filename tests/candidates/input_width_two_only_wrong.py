"""A right backprop for one example that writes the input width into its code (np.tile(delta, (2, 1)), a
published form): right where n_0 = 2, a broadcast error elsewhere."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    a = [np.asarray(x)]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b))
    delta = (a[-1] - y) / len(y) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(params), 0, -1):
        gW = np.outer(delta, a[l - 1]) if l > 1 else (np.tile(delta, (2, 1)) * a[0][:, None]).T   # 2 inputs
        grads.append((gW, delta))
        if l > 1:
            delta = (params[l - 1][0].T @ delta) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
