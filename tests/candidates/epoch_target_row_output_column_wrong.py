"""One epoch of per-example SGD in the style of round 58's kimbp (Phil Kim's delta rule), its rate fixed at 0.05:
the target is taken as a (1, n_L) row, d = np.array(D[k], ndmin=2), the output kept as an (n_L, 1) column, so
e = d - y is (n_L, n_L) and the first step raises wherever n_L > 1 (right at n_L = 1). Checked with --call
'f(params[0], params[1], x, y)' --biases none --depth 2 --mini-batch 1 --eta 0.05 --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def backprop(W1, W2, X, D):
    alpha = 0.05
    for k in range(X.shape[0]):
        x = np.array(X[k, :], ndmin=2).T
        d = np.array(D[k], ndmin=2)                 # (1, n_L): should be a column, like y
        y1 = sigmoid(W1 @ x)
        y = sigmoid(W2 @ y1)
        delta = y * (1 - y) * (d - y)
        delta1 = y1 * (1 - y1) * (W2.T @ delta)
        W1 = W1 + alpha * delta1 @ x.T
        W2 = W2 + alpha * delta @ y1.T
    return W1, W2
