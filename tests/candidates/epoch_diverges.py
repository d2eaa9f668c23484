"""An epoch whose steps are 1e300 times too long: its parameters overflow to inf after a step or two, and later
mini-batches start from them."""

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def epoch(params, X, Y, eta, batch_size):
    params = [(W.copy(), b.copy()) for W, b in params]
    with np.errstate(all="ignore"):
        for s in range(0, len(X), batch_size):
            x, y = X[s:s + batch_size], Y[s:s + batch_size]
            m, n_L = y.shape
            a = [x]
            for W, b in params:
                a.append(sigmoid(a[-1] @ W.T + b))
            delta = (a[-1] - y) / (n_L * m) * a[-1] * (1 - a[-1])
            for l in range(len(params), 0, -1):
                W, b = params[l - 1]
                params[l - 1] = (W - 1e300 * eta * (delta.T @ a[l - 1]), b - 1e300 * eta * delta.sum(axis=0))
                delta = (delta @ W) * a[l - 1] * (1 - a[l - 1])
    return params
