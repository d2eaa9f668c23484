"""Two mistakes at once: the mini-batch summed (eta, not eta / m) and sigma'(z^l) left out of the hidden layers'
recurrence. On a one-example step the sum is the mean, so there only the second shows; both are named together."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE = "wrong", "mini-batch summed, and delta^l without sigma'(z^l)"
MISTAKE_KEY = ("hidden_missing_sigma_prime", "summed")


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new[l] = (W - eta * (delta.T @ a[l]), b - eta * delta.sum(axis=0))   # should divide by X.shape[0]
        if l:
            delta = delta @ W                          # should be times sigma'(z^l) = a^l (1 - a^l)
    return new
