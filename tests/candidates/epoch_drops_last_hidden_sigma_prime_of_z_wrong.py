"""An epoch of mini-batch SGD that runs only the full mini-batches (round 48's amanda: range(len(X) // k)), so the
m mod k examples left over never make a step, and whose hidden delta writes sigma' with z (z (1 - z)). The mean
over each mini-batch of 1/2 sum_j (a - y)^2, no 1/n_L: --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def epoch(params, X, Y, eta, batch_size):
    params = [(W.copy(), b.copy()) for W, b in params]
    for s in range(0, X.shape[0] // batch_size * batch_size, batch_size):
        x, y = X[s:s + batch_size], Y[s:s + batch_size]
        zs, acts = [], [x]
        for W, b in params:
            zs.append(acts[-1] @ W.T + b)
            acts.append(sigmoid(zs[-1]))
        delta = (acts[-1] - y) * acts[-1] * (1 - acts[-1])
        grads = []
        for l in range(len(params) - 1, -1, -1):
            grads.insert(0, (delta.T @ acts[l] / len(x), delta.mean(axis=0)))
            if l:
                delta = delta @ params[l][0] * zs[l - 1] * (1 - zs[l - 1])
        params = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, grads)]
    return params
