"""The same weight-by-weight 2-2-2 backprop with one output bias line written from (y - o) where (o - y) belongs:
grad b^2[1] alone has its sign flipped. One element alone is wrong: ``element_sign``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    h = [sigmoid(W1[j, 0] * x[0] + W1[j, 1] * x[1] + b1[j]) for j in range(2)]
    o = [sigmoid(W2[i, 0] * h[0] + W2[i, 1] * h[1] + b2[i]) for i in range(2)]
    d_o = [(o[i] - y[i]) / 2 * o[i] * (1 - o[i]) for i in range(2)]
    d_h = [(d_o[0] * W2[0, j] + d_o[1] * W2[1, j]) * h[j] * (1 - h[j]) for j in range(2)]
    db2 = [d_o[0], (y[1] - o[1]) / 2 * o[1] * (1 - o[1])]           # should be (o[1] - y[1])
    gW1 = np.array([[d_h[j] * x[0], d_h[j] * x[1]] for j in range(2)])
    gW2 = np.array([[d_o[i] * h[0], d_o[i] * h[1]] for i in range(2)])
    return [(gW1, np.array(d_h)), (gW2, np.array(db2))]
