"""Updates each layer inside the backward loop (delta^l from the already updated W^{l+1}), and layer 1's update
applies the rate twice: two update mistakes at once, as a published update-order bug with one line slipped on
top."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "W^{l+1} updated first, and layer 1's eta twice", \
    "updated_next_first_layer_1_eta_twice"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        rate = eta * eta if l == 0 else eta                # should be eta
        W -= rate * (delta.T @ a[l]) / X.shape[0]
        b -= rate * delta.sum(axis=0) / X.shape[0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])        # W is already W'
