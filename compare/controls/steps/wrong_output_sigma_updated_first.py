"""Two mistakes at once: sigma'(z^L) left out of delta^L, and each layer updated inside the backward loop, so
delta^l is computed with the already updated W^{l+1}. Neither alone reproduces this step; both together do."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE = "wrong", "delta^L without sigma'(z^L), and W^{l+1} updated before delta^l uses it"
MISTAKE_KEY = ("output_missing_sigma_prime", "updated_next_first")


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1]                  # should be times sigma'(z^L) = a^L (1 - a^L)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        W -= eta * (delta.T @ a[l]) / X.shape[0]
        b -= eta * delta.sum(axis=0) / X.shape[0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])   # W is already W'
