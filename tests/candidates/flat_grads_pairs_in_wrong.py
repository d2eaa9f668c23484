"""A gradient function that returns its gradients flat, dW1, db1, dW2, db2, ..., but reads its parameters as (W, b)
pairs (round 34's aba glue, first try): under --grads flat the parameters come in flat as well, so its unpacking
raises on every case."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    acts = [X]
    for W, b in params:                                   # flat under --grads flat: W1, b1, ... one at a time
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    delta = (acts[-1] - Y) / (X.shape[0] * Y.shape[1]) * acts[-1] * (1 - acts[-1])
    out = []
    for l in range(len(params) - 1, -1, -1):
        out[:0] = [delta.T @ acts[l], delta.sum(axis=0)]
        if l:
            delta = (delta @ params[l][0]) * acts[l] * (1 - acts[l])
    return out
