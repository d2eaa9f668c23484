"""A look-alike of a step for the cost mean over examples of sum_j (a_j - y_j)^2 (2 n_L times the seed's, not
declared) whose hidden layers take sigma' at a, sigma(a) (1 - sigma(a)). Wrong; no catalogued mistake or pair
reproduces it at K = 1, the hidden sigma' mistake does at K = 2 n_L."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    m = X.shape[0]
    delta = 2 * (acts[-1] - Y) * acts[-1] * (1 - acts[-1])
    new = list(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        gW, gb = delta.T @ acts[l] / m, delta.mean(axis=0)
        if l:
            s = _sigmoid(acts[l])
            delta = (delta @ W) * s * (1 - s)
        new[l] = (W - eta * gW, b - eta * gb)
    return new
