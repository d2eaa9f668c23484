"""A gradient on columns (round 48's jwkidd3_m2: a course notebook's compute_gradients) whose grad b is summed
over the units, axis=0 on columns, so it holds one value per example, and whose every grad W has the 1/m of the
cost's derivative and the 1/m of the layer's again. x (n_0, m), b (n_l, 1): --data columns --biases column."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, X, Y):
    m = X.shape[1]
    acts = [X]
    for W, b in params:
        acts.append(sigmoid(W @ acts[-1] + b))
    dA = (acts[-1] - Y) / m / Y.shape[0]
    out = []
    for l in range(len(params) - 1, -1, -1):
        dZ = dA * acts[l + 1] * (1 - acts[l + 1])
        out.insert(0, (dZ @ acts[l].T / m, np.sum(dZ, axis=0, keepdims=True)))
        dA = params[l][0].T @ dZ
    return out
