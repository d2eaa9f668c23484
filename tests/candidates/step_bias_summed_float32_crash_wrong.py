"""A published layer-object step (round 38's gb_xor, a mutant of it) in our layout: the bias gradient summed over
the batch where the weights' is averaged, and a progress line that formats the loss with Decimal, which refuses a
numpy float32 (a TypeError after the update, on every float32 case). Both are its mistakes: the report names the
first and says where the second raised."""

from decimal import Decimal

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    delta = (acts[-1] - Y) / n_L * acts[-1] * (1 - acts[-1])
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new[l] = (W - eta * delta.T @ acts[l] / m, b - eta * delta.sum(axis=0))      # / m belongs on b too
        if l:
            delta = (delta @ W) * acts[l] * (1 - acts[l])
    loss = np.mean((acts[-1] - Y) ** 2)
    print(f"loss: {Decimal(loss).quantize(Decimal('.000001'))}")
    return new
