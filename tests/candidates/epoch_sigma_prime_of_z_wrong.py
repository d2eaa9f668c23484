"""A look-alike of an epoch of mini-batch steps whose sigmoid_prime(x) returns x (1 - x) but is handed z, not a:
sigma'(z) becomes z (1 - z) in every layer, which overflows float32 on saturated cases (inf, then NaN in the step
and in every step after it). Wrong."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(x):
    return x * (1 - x)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    acts, zs = [X], []
    for W, b in params:
        zs.append(acts[-1] @ W.T + b)
        acts.append(_sigmoid(zs[-1]))
    m, n_L = Y.shape
    delta = (acts[-1] - Y) / n_L * sigmoid_prime(zs[-1])
    new = list(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        gW, gb = delta.T @ acts[l] / m, delta.mean(axis=0)
        if l:
            delta = (delta @ W) * sigmoid_prime(zs[l - 1])
        new[l] = (W - eta * gW, b - eta * gb)
    return new


def epoch(params, X, Y, eta, k):
    for start in range(0, X.shape[0], k):
        params = step(params, X[start:start + k], Y[start:start + k], eta)
    return params
