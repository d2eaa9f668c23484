"""A trask-style loop body in the style of round 67's ogibug_m1: W in-out, b a (1, n) row, += with y - a summed over
the batch, a module-level rate of 0.5 (declared with --eta 0.5), and the output bias line without it. At the fixed
rate, 1/eta = 2: the same step as that line doubled, and the rate's slip is said first."""

import numpy as np

learning_rate = 0.5


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def epoch_body(X, y, W1, b1, W2, b2):
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    d2 = (y - a2) * a2 * (1 - a2)
    d1 = d2 @ W2.T * a1 * (1 - a1)
    W2 += learning_rate * a1.T @ d2
    b2 += np.sum(d2, axis=0, keepdims=True)                 # learning_rate left out
    W1 += learning_rate * X.T @ d1
    b1 += learning_rate * np.sum(d1, axis=0, keepdims=True)
