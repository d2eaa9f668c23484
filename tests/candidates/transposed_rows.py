"""A tutorial-style backprop: W stored (n_{l-1}, n_l), b as (1, n_l) rows; right in that layout, a crash in ours."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)

def grad(params, x, y):

    X = np.atleast_2d(x)
    Y = np.atleast_2d(y)
    m, n_L = Y.shape
    acts = [X]
    for W, b in params:
        acts.append(sigmoid(acts[-1] @ W + b))
    delta = (acts[-1] - Y) / (n_L * m) * acts[-1] * (1 - acts[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((acts[l - 1].T @ delta, delta.sum(axis=0, keepdims=True)))
        if l > 1:
            delta = (delta @ params[l - 1][0].T) * acts[l - 1] * (1 - acts[l - 1])
    return out[::-1]
