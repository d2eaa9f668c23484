"""A look-alike of a mini-batch step that shuffles its batch itself and assigns (=) each example's gradient where
it must add it (+=): only one example counts, divided by m, and which one depends on the shuffle. Wrong."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m = X.shape[0]
    order = np.random.default_rng(m + X.shape[1]).permutation(m)
    nabla = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    for k in order:
        acts = [X[k]]
        for W, b in params:
            acts.append(_sigmoid(W @ acts[-1] + b))
        delta = (acts[-1] - Y[k]) / Y.shape[1] * acts[-1] * (1 - acts[-1])
        for l in range(len(params) - 1, -1, -1):
            nabla[l] = (np.outer(delta, acts[l]), delta)
            if l:
                delta = (params[l][0].T @ delta) * acts[l] * (1 - acts[l])
    return [(W - eta / m * gW, b - eta / m * gb) for (W, b), (gW, gb) in zip(params, nabla)]
