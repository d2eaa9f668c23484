"""A one-example step of a 2-2-1 net written weight by weight, in the style of round 61's virg (victorzhou's
tutorial): the second hidden unit's activation line copied from the first's, h2 = sigmoid(z_h1), while its
derivative keeps sigma'(z_h2). Checked with --sizes 2-2-1 --one-example."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def d_sigmoid(z):
    s = sigmoid(z)
    return s * (1 - s)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    z_h1 = W1[0, 0] * x[0] + W1[0, 1] * x[1] + b1[0]
    h1 = sigmoid(z_h1)
    z_h2 = W1[1, 0] * x[0] + W1[1, 1] * x[1] + b1[1]
    h2 = sigmoid(z_h1)                                   # should be sigmoid(z_h2)
    z_o = W2[0, 0] * h1 + W2[0, 1] * h2 + b2[0]
    o = sigmoid(z_o)
    d_o = (o - y[0]) * d_sigmoid(z_o)
    d_h1 = d_o * W2[0, 0] * d_sigmoid(z_h1)
    d_h2 = d_o * W2[0, 1] * d_sigmoid(z_h2)
    new_W1 = W1 - eta * np.array([[d_h1 * x[0], d_h1 * x[1]], [d_h2 * x[0], d_h2 * x[1]]])
    new_b1 = b1 - eta * np.array([d_h1, d_h2])
    new_W2 = W2 - eta * np.array([[d_o * h1, d_o * h2]])
    new_b2 = b2 - eta * np.array([d_o])
    return [(new_W1, new_b1), (new_W2, new_b2)]
