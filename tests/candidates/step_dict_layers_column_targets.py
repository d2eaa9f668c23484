"""A published full-batch step over a batch's examples one at a time (round 41's skywalker, in its layout): each
x[i] is reshaped to a column, but y[i] is used as it comes, so the code needs each target as a column too: given
rows, y_hat (n_L, 1) - y[i] (n_L,) broadcasts to (n_L, n_L) and the step raises wherever n_L > 1. Right under
--data stacked-columns. The cost is the batch mean of 1/2 sum_j (a_j - y_j)^2: --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def fit(params, x, y, eta):
    w = dict(enumerate((W for W, _ in params), 1))
    b = dict(enumerate((bb for _, bb in params), 1))
    L = len(w)
    c_w = {k: np.zeros(v.shape) for k, v in w.items()}
    c_b = {k: np.zeros(v.shape) for k, v in b.items()}
    for i in range(x.shape[0]):
        h = {0: np.reshape(x[i], (x[i].shape[0], 1))}
        for k in range(1, L + 1):
            h[k] = sigmoid(w[k] @ h[k - 1] + b[k])
        g = h[L] - y[i]                               # y[i] must be a column
        for k in range(L, 0, -1):
            g = g * h[k] * (1 - h[k])
            c_w[k] += g @ h[k - 1].T
            c_b[k] += g
            g = w[k].T @ g
    for k in w:
        w[k] -= eta * c_w[k] / x.shape[0]
        b[k] -= eta * c_b[k] / x.shape[0]
