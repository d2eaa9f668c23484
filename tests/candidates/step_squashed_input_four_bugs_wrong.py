"""A NAND-gate tutorial's step, in our layout: every layer's input squashed by sigma, x included (layer 1 sees
sigma(x)); the bias stepped without eta (b += error); sigma' missing from the hidden errors; and each W updated
before the error goes down through it. Four published bugs in one loop, of which two are update mistakes."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    a = [sigmoid(X)]                                         # should be X
    zs = []
    for W, b in params:
        zs.append(a[-1] @ W.T + b)
        a.append(sigmoid(zs[-1]))
    error = (Y - a[-1]) * a[-1] * (1 - a[-1]) / (m * n_L)
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        b = b + error.sum(axis=0)                            # should be times eta
        W = W + eta * error.T @ a[l]
        new[l] = (W, b)
        error = error @ W                                    # W already updated; sigma'(z) missing
    return new
