"""A 2-2-2 backprop written weight by weight (a student notebook's form: one line per derivative, Python scalars)
whose first hidden bias line keeps one of its two paths: dC/db1 = d_o1 w5 h1(1 - h1), the path through the second
output unit (d_o2 w7) left out. One element alone is wrong: ``element_term_missing``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _passes(params, x, y):
    (W1, b1), (W2, b2) = params
    h = [sigmoid(W1[j, 0] * x[0] + W1[j, 1] * x[1] + b1[j]) for j in range(2)]
    o = [sigmoid(W2[i, 0] * h[0] + W2[i, 1] * h[1] + b2[i]) for i in range(2)]
    d_o = [(o[i] - y[i]) / 2 * o[i] * (1 - o[i]) for i in range(2)]
    return h, d_o


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    h, d_o = _passes(params, x, y)
    d_h1 = d_o[0] * W2[0, 0] * h[0] * (1 - h[0])                    # + d_o[1] * W2[1, 0] missing
    d_h1_full = (d_o[0] * W2[0, 0] + d_o[1] * W2[1, 0]) * h[0] * (1 - h[0])
    d_h2 = (d_o[0] * W2[0, 1] + d_o[1] * W2[1, 1]) * h[1] * (1 - h[1])
    gW1 = np.array([[d_h1_full * x[0], d_h1_full * x[1]], [d_h2 * x[0], d_h2 * x[1]]])
    gW2 = np.array([[d_o[i] * h[0], d_o[i] * h[1]] for i in range(2)])
    return [(gW1, np.array([d_h1, d_h2])), (gW2, np.array(d_o))]
