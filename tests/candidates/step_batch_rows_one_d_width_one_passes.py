"""A right batch step in the style of round 64's mlp_pt: W in-out, b a (1, n) row, so z = x @ W + b is 2-D even
for a 1-D x, and the update X.T @ delta1 chains for a 1-D x only where n_0 = 1 (a width of 1 broadcasts). Run
without --batches-only, every failure is a one-example case, and every case with n_0 = 1 agrees by that accident,
not because a width is written into the code."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in params]
    a1 = sigmoid(x @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    delta2 = (y - a2) * a2 * (1 - a2)
    delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
    W2 += eta * a1.T @ delta2
    b2 += eta * np.sum(delta2, axis=0, keepdims=True)
    W1 += eta * x.T @ delta1
    b1 += eta * np.sum(delta1, axis=0, keepdims=True)
    return [(W1, b1), (W2, b2)]
