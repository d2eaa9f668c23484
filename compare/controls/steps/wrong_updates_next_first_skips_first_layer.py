"""Updates each layer inside the backward loop (delta^l from the already updated W^{l+1}), and the loop's bound
stops before layer 1 (while l > 0 for l >= 0): two update mistakes at once, as a published update-order bug with
a loop bound slipped on top."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "W^{l+1} updated first, and layer 1 skipped", \
    "updated_next_first_layer_1_skipped"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    for l in range(len(params) - 1, 0, -1):                # should run down to l = 0
        W, b = params[l]
        W -= eta * (delta.T @ a[l]) / X.shape[0]
        b -= eta * delta.sum(axis=0) / X.shape[0]
        delta = (delta @ W) * a[l] * (1 - a[l])            # W is already W'
