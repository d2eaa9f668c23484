"""Updates each layer inside the backward loop (delta^l from the already updated W^{l+1}), with eta written in the
output error and again in every update line: the update-order bug with every layer's rate eta^2, two update
mistakes at once."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "W^{l+1} updated first, and eta twice", "updated_next_first_eta_twice"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = eta * (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])     # should have no eta
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        W -= eta * (delta.T @ a[l]) / X.shape[0]
        b -= eta * delta.sum(axis=0) / X.shape[0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])        # W is already W'
