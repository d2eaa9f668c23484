"""An epoch of mini-batch steps, in the style of round 55's published Model.fit, with the error's sign flipped
(y - a with -eta kept): every step climbs the cost. Its last, partial mini-batch is a step like the others."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _step(params, X, Y, eta):
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    m, n_L = Y.shape
    delta = (Y - acts[-1]) / n_L * acts[-1] * (1 - acts[-1])     # a - y belongs
    new = list(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        gW, gb = delta.T @ acts[l] / m, delta.mean(axis=0)
        if l:
            delta = (delta @ W) * acts[l] * (1 - acts[l])
        new[l] = (W - eta * gW, b - eta * gb)
    return new


def epoch(params, X, Y, eta, k):
    for start in range(0, X.shape[0], k):
        params = _step(params, X[start:start + k], Y[start:start + k], eta)
    return params
