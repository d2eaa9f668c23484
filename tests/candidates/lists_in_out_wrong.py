"""``lists_in_out.py`` with a classic slip: the hidden error is multiplied by sigma'(z) of the layer above
as well (the output's a(1 - a) carried into every layer below)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    outs = [X]
    for W, b in params:
        outs.append(sigmoid(outs[-1] @ W + b))
    error = (outs[-1] - Y) * outs[-1] * (1 - outs[-1]) / (n_L * m)
    result = []
    for i in reversed(range(len(params))):
        result.insert(0, [(outs[i].T @ error).tolist(), error.sum(axis=0).tolist()])
        error = (error * outs[i + 1] * (1 - outs[i + 1])) @ params[i][0].T * outs[i] * (1 - outs[i])
    return result
