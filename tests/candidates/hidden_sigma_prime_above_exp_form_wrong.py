"""A Welch-style gradient, sigma and sigma' written with exp(-z) (sigma'(z) = exp(-z)/(1 + exp(-z))^2 is
inf/inf = NaN for z < -709.8 in float64), whose hidden delta takes sigma' of the output layer's z where its own
belongs (the shapes agree at n_L = 1): NaN on saturated cases, the mistake elsewhere."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


def grad(params, x, y):
    (W1, b1), (W2, b2) = params
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_out = Y.shape
    z1 = X @ W1.T + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2.T + b2
    a2 = sigmoid(z2)
    delta2 = (a2 - Y) / (n_out * m) * sigmoid_prime(z2)
    delta1 = delta2 @ W2 * sigmoid_prime(z2)                    # should be sigmoid_prime(z1)
    return [(delta1.T @ X, delta1.sum(axis=0)), (delta2.T @ a1, delta2.sum(axis=0))]
