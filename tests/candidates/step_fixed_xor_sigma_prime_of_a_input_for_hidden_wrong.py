"""A published XOR step of a 2-2-1 net (round 33's xorbp_m3), in our layout: sigma' taken of the activation,
sigma(a)(1 - sigma(a)), in both layers, and the output layer's update written with the input X where the hidden
activation belongs (the shapes agree only because n_0 = n_1 = 2). At depth 2 the whole network's sigma'(a) and the
output layer's alone make the same step: only a deeper net would tell them apart."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m = X.shape[0]
    h = sigmoid(X @ W1.T + b1)
    out = sigmoid(h @ W2.T + b2)
    d2 = (out - Y) / m * sigmoid(out) * (1 - sigmoid(out))          # sigma'(z2) belongs
    d1 = (d2 @ W2) * sigmoid(h) * (1 - sigmoid(h))                   # sigma'(z1) belongs
    return [(W1 - eta * d1.T @ X, b1 - eta * d1.sum(axis=0)),
            (W2 - eta * d2.T @ X, b2 - eta * d2.sum(axis=0))]        # h belongs where X is
