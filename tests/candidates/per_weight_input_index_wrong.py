"""A 2-2-1 backprop written weight by weight (a tutorial's form: w1 ... w6, b1 ... b3, each derivative on its own
line) with one line copied without changing its index: dC/dw2 (W^1[0, 1]) reads x[0] where x[1] belongs. One
element alone is wrong: ``element_other_input``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    w1, w2, w3, w4 = W1[0, 0], W1[0, 1], W1[1, 0], W1[1, 1]
    w5, w6 = W2[0, 0], W2[0, 1]
    h1 = sigmoid(w1 * x[0] + w2 * x[1] + b1[0])
    h2 = sigmoid(w3 * x[0] + w4 * x[1] + b1[1])
    o = sigmoid(w5 * h1 + w6 * h2 + b2[0])
    d_o = (o - y[0]) * o * (1 - o)
    d_h1 = d_o * w5 * h1 * (1 - h1)
    d_h2 = d_o * w6 * h2 * (1 - h2)
    gW1 = np.array([[d_h1 * x[0], d_h1 * x[0]],                   # dC/dw2 should read x[1]
                    [d_h2 * x[0], d_h2 * x[1]]])
    gW2 = np.array([[d_o * h1, d_o * h2]])
    return [(gW1, np.array([d_h1, d_h2])), (gW2, np.array([d_o]))]
