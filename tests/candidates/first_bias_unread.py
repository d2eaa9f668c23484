"""A backprop whose first layer has no bias: it takes the usual (W, b) pairs but its forward pass never reads
b^1 (z^1 = W^1 x), and it returns 0 for grad b^1; every other layer as the seed's. Right with
``--no-bias-in 1``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [X]
    for l, (W, b) in enumerate(params):
        a.append(sigmoid(a[-1] @ W.T + (b if l else 0)))        # layer 1 has no bias
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1]) / (n_L * m)
    out = []
    for l in range(len(params), 0, -1):
        gb = delta.sum(axis=0) if l > 1 else np.zeros(delta.shape[1], delta.dtype)
        out.append((delta.T @ a[l - 1], gb))
        if l > 1:
            delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
