"""A right gradient with sigma written 1/(1 + np.exp(-z)): on a saturated unit NumPy warns that exp overflowed (to
inf, and 1/(1 + inf) = 0 is the right limit), which the report's note explains instead of leaving it to look like
an error."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def grad(params, x, y):
    acts = [np.atleast_2d(x)]
    for W, b in params:
        acts.append(sigmoid(acts[-1] @ W.T + b))
    Y = np.atleast_2d(y)
    m, n_L = Y.shape
    delta = (acts[-1] - Y) / n_L * acts[-1] * (1 - acts[-1]) / m
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta.T @ acts[l - 1], delta.sum(axis=0)))
        delta = delta @ params[l - 1][0] * acts[l - 1] * (1 - acts[l - 1])
    return out[::-1]
