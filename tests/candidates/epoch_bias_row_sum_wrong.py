"""A published row-layout epoch of one-example steps whose bias step is `np.sum(del_w, axis=0)`, the column sums of
the (n_(l-1), n_l) weight step: each b_j moves by eta delta_j sum_k a_k, where eta delta_j belongs (round 31's
rowmlp). The weight steps are right."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    m, n_L = Y.shape
    delta = (acts[-1] - Y) / (m * n_L) * acts[-1] * (1 - acts[-1])
    new = list(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        del_w = eta * acts[l].T @ delta                      # (n_(l-1), n_l): the rows' layout
        del_b = np.sum(del_w, axis=0)                        # should be eta * delta.sum(axis=0)
        if l:
            delta = (delta @ W) * acts[l] * (1 - acts[l])
        new[l] = (W - del_w.T, b - del_b)
    return new


def epoch(params, X, Y, eta, k):
    for start in range(0, X.shape[0], k):
        params = step(params, X[start:start + k], Y[start:start + k], eta)
    return params
