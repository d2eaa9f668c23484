"""A batch step with two mistakes (a published one and one on top): sigma' written with the pre-activation,
z (1 - z), and each layer's W updated before the delta below is propagated through it. The second shows only at
depth >= 2 and where the step is large: ``sigma_prime_of_z`` and ``updated_next_first``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = Y.shape
    zs, a = [], [X]
    for W, b in params:
        zs.append(a[-1] @ W.T + b)
        a.append(sigmoid(zs[-1]))
    with np.errstate(over="ignore", invalid="ignore"):
        delta = (a[-1] - Y) * zs[-1] * (1 - zs[-1]) / (n_L * m)           # sigma'(z) should be a (1 - a)
        new = list(params)
        for l in range(len(params), 0, -1):
            W, b = params[l - 1]
            new[l - 1] = (W - eta * delta.T @ a[l - 1], b - eta * delta.sum(axis=0))
            if l > 1:
                delta = (delta @ new[l - 1][0]) * zs[l - 2] * (1 - zs[l - 2])   # the updated W^l
    return new
