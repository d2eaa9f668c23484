"""A one-example step with W kept in-out ((n_(l-1), n_l)), in the style of round 62's smart_m1: the hidden error
np.dot(delta2, W2) where np.dot(delta2, W2.T) belongs. It runs only where the layers are square; elsewhere
np.dot raises "shapes (1,n) and (h,n) not aligned". Checked with --weights in-out --one-example."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params                       # in-out: W1 (n_0, n_1), W2 (n_1, n_2)
    x, y = x.reshape(1, -1), y.reshape(1, -1)
    a1 = sigmoid(x @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    delta2 = (a2 - y) / y.size * a2 * (1 - a2)
    delta1 = np.dot(delta2, W2) * a1 * (1 - a1)        # should be W2.T
    return [(W1 - eta * x.T @ delta1, b1 - eta * delta1[0]), (W2 - eta * a1.T @ delta2, b2 - eta * delta2[0])]
