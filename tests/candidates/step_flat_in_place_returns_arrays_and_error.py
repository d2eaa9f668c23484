"""A right one-example step in the style of round 67's mnist_outer: the arrays handed in loose (--grads flat),
updated in place with +=, and returned with the summed squared error after them, ``return w1, b1, w2, b2, error``
(its arrays are the very ones given: in place, not five layers of new parameters)."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(x, y, w1, b1, w2, b2, eta):
    h = sigmoid(w1 @ x + b1)
    o = sigmoid(w2 @ h + b2)
    d2 = (y - o) * o * (1 - o)
    d1 = (w2.T @ d2) * h * (1 - h)
    w2 += eta * np.outer(d2, h)
    b2 += eta * d2
    w1 += eta * np.outer(d1, x)
    b1 += eta * d1
    return w1, b1, w2, b2, float(np.sum((y - o) ** 2))
