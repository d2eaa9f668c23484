"""A right full-batch step in the style of round 57's mrgran (a French tutorial's train(X, y)): no biases, W
in-out, the rate fixed at 1 (eta unused) and the cost sum_x sum_j 1/2 (y_j - o_j)^2, so the step is
W += a^T delta. Right under --eta 1 --scale 'n_L*m'."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def train(weights, X, y, eta):
    a = [X]
    for W in weights:
        a.append(sigmoid(a[-1] @ W))
    delta = (y - a[-1]) * a[-1] * (1 - a[-1])
    for l in range(len(weights) - 1, -1, -1):
        below = delta @ weights[l].T * a[l] * (1 - a[l])
        weights[l] += a[l].T @ delta
        delta = below
