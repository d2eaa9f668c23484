"""A right update of a wrong gradient: delta^{L-1} is computed from the output error (a^L - y)/n_L without
sigma'(z^L) (delta^L itself, used for grad W^L, is right)."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE = "wrong", "hidden error propagated from the output error without sigma'(z^L)"
MISTAKE_KEY = "hidden_from_output_error"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, L = X.shape[0], len(params)
    a = forward(params, X)
    error = (a[-1] - Y) / Y.shape[1]
    delta = error * a[-1] * (1 - a[-1])
    grads = [None] * L
    for l in range(L - 1, -1, -1):
        grads[l] = (delta.T @ a[l] / m, delta.sum(axis=0) / m)
        if l:
            passed = error if l == L - 1 else delta       # should be delta^L at the top too
            delta = (passed @ params[l][0]) * a[l] * (1 - a[l])
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, grads)]
