"""A backprop written per unit (round 46's adelms_m2, a 2-2-1 net of one line per weight) with one slip: hidden
unit 0's sigma' reads the output's activation, h_0 (1 - a_0) where h_0 (1 - h_0) belongs; every other unit is
right. One example, seed cost (--one-example)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h = sigmoid(W1 @ x + b1)
    a = sigmoid(W2 @ h + b2)
    d2 = (a - y) * a * (1 - a) / len(y)
    d1 = W2.T @ d2 * h * (1 - h)
    d1[0] = (W2.T @ d2)[0] * h[0] * (1 - a[0])
    return [(W1 - eta * np.outer(d1, x), b1 - eta * d1), (W2 - eta * np.outer(d2, h), b2 - eta * d2)]
