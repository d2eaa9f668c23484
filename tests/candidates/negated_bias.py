"""A look-alike of code that subtracts its bias, z = W a - B (as a threshold), one example or a row batch. Right
for its own network: --negated-bias hands it B = -b and reads its dC/dB back as -dC/db."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def grad(params, x, y):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    acts = [X]
    for W, B in params:
        acts.append(_sigmoid(acts[-1] @ W.T - B))
    m, n_L = Y.shape
    delta = (acts[-1] - Y) / n_L * acts[-1] * (1 - acts[-1])
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append((delta.T @ acts[l] / m, -delta.mean(axis=0)))
        if l:
            delta = (delta @ params[l][0]) * acts[l] * (1 - acts[l])
    return grads[::-1]
