"""A one-example step in the style of round 58's irlll_m1 (code written line by line for one output): the output
layer updated before the hidden delta reads its W, and the output bias line without eta. Checked on nets of one
output (--sizes '*-*-1'), where the smallest failing steps are single numbers that many one-factor mistakes fit."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h = sigmoid(W1 @ x + b1)
    o = sigmoid(W2 @ h + b2)
    d2 = (o - y) / y.size * o * (1 - o)
    W2 = W2 - eta * np.outer(d2, h)
    b2 = b2 - d2                       # eta left out
    d1 = W2.T @ d2 * h * (1 - h)       # the updated W2
    return [(W1 - eta * np.outer(d1, x), b1 - eta * d1), (W2, b2)]
