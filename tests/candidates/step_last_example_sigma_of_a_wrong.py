"""A look-alike of a mini-batch step on column vectors with two mistakes: each example's gradient is assigned (=)
to the buffers in the per-example loop where it must be added (+=), so only the last example counts, divided by
m; and the hidden layers take sigma' at a, sigma(a) (1 - sigma(a)). Wrong, named only as the pair."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, X, Y, eta):
    nabla = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    m = X.shape[1]
    for k in range(m):
        acts, zs = [X[:, [k]]], []
        for W, b in params:
            zs.append(W @ acts[-1] + b)
            acts.append(_sigmoid(zs[-1]))
        delta = (acts[-1] - Y[:, [k]]) / Y.shape[0] * acts[-1] * (1 - acts[-1])
        for l in range(len(params) - 1, -1, -1):
            nabla[l] = (delta @ acts[l].T, delta)
            if l:
                s = _sigmoid(acts[l])
                delta = (params[l][0].T @ delta) * s * (1 - s)
    return [(W - eta / m * gW, b - eta / m * gb) for (W, b), (gW, gb) in zip(params, nabla)]
