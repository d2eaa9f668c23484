"""A batch step in the style of round 63's luigi_iris_m3: the output layer updated before the hidden delta reads
its W (the published bug), and layer 1's W line alone divided by m once more (its b line right)."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    m = len(x)
    h = sigmoid(x @ W1.T + b1)
    o = sigmoid(h @ W2.T + b2)
    d2 = (o - y) / y.shape[1] * o * (1 - o)
    W2 = W2 - eta * d2.T @ h / m
    b2 = b2 - eta * d2.mean(axis=0)
    d1 = d2 @ W2 * h * (1 - h)          # the updated W2
    W1 = W1 - eta * d1.T @ x / m / m    # divided by m once more, this line alone
    b1 = b1 - eta * d1.mean(axis=0)
    return [(W1, b1), (W2, b2)]
