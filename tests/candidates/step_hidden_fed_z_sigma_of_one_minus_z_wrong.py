"""A published step in our layout: the forward loop hands each layer's z, not sigma(z), to the layer above (sigma(z)
kept for the backward pass only), and sigma' is written sigma(z) * sigma(1 - z). Two departures from the seed in
one source (round 30's nnwork); each W is updated after the error has gone down through the old one."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_prime(z):
    return sigmoid(z) * sigmoid(1 - z)                       # should be sigmoid(z) * (1 - sigmoid(z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    h, zs, acts = X, [X], [X]
    for W, b in params:
        h = h @ W.T + b                                      # should be acts[-1] @ W.T + b
        zs.append(h)
        acts.append(sigmoid(h))
    error = (acts[-1] - Y) / (m * n_L) * sigmoid_prime(zs[-1])
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        grad_W, grad_b = error.T @ acts[l], error.sum(axis=0)
        error = (error @ W) * sigmoid_prime(zs[l])
        new[l] = (W - eta * grad_W, b - eta * grad_b)
    return new
