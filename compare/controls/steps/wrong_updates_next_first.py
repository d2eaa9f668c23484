"""Updates each layer inside the backward loop, so delta^l is computed with the already updated W^{l+1}."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "updates W^{l+1} before delta^l uses it", "updated_next_first"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        W -= eta * (delta.T @ a[l]) / X.shape[0]
        b -= eta * delta.sum(axis=0) / X.shape[0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])   # W is already W': the forward pass's W^{l+1} is gone
