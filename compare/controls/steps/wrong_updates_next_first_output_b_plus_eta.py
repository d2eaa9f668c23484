"""Updates each layer inside the backward loop (delta^l from the already updated W^{l+1}), and the output layer's
bias line adds its step: two update mistakes at once, as a published update-order bug with one bias line slipped
on top."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "W^{l+1} updated first, and the output b's +eta", \
    "updated_next_first_output_layer_b_plus_eta"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        W -= eta * (delta.T @ a[l]) / X.shape[0]
        if l == len(params) - 1:
            b += eta * delta.sum(axis=0) / X.shape[0]     # should be -=
        else:
            b -= eta * delta.sum(axis=0) / X.shape[0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])        # W is already W'
