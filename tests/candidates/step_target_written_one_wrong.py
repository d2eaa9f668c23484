"""Round 76's mzph look-alike: the output error is written 1 - a^L (the target hard-coded 1), y never used; ``step``
has no other mistake, ``step_output_no_eta`` also leaves eta out of the output layer's W line."""
import numpy as np


def _sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _step(params, x, y, eta, output_eta):
    X = np.atleast_2d(x)
    a = [X]
    for W, b in params:
        a.append(_sigmoid(a[-1] @ W.T + b))
    m, n_L = X.shape[0], a[-1].shape[1]
    delta = -(1 - a[-1]) * a[-1] * (1 - a[-1]) / (m * n_L)        # y - a^L written 1 - a^L
    new = []
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        rate = output_eta if l == len(params) - 1 else eta
        new.append((W - rate * delta.T @ a[l], b - eta * delta.sum(axis=0)))
        delta = (delta @ W) * a[l] * (1 - a[l])
    return new[::-1]


def step(params, x, y, eta):
    return _step(params, x, y, eta, eta)


def step_output_no_eta(params, x, y, eta):
    return _step(params, x, y, eta, 1.0)
