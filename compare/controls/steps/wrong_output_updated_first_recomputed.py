"""Updates the output layer first, then writes the hidden layer's line out in full, delta^L again included: the
recomputed z^L and the recurrence both use the updated W^L, b^L (a published two-layer form, each gradient line
written from the network's attributes); the lower layers' errors use the forward pass's weights."""
import numpy as np
from stepnet import forward, sigmoid

EXPECT, MISTAKE = "wrong", "updates W^L, b^L before delta^(L-1) is written with them, z^L recomputed too"
MISTAKE_KEY = "updated_output_first_recomputed"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    m, n_L = Y.shape
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])
    L = len(params)
    out = [None] * L
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        out[l] = (W - eta * (delta.T @ a[l]) / m, b - eta * delta.sum(axis=0) / m)
        if l == L - 1:                                    # the hidden line recomputes delta^L from the new W^L, b^L
            s = sigmoid(a[l] @ out[l][0].T + out[l][1])
            delta, W = (a[-1] - Y) / n_L * s * (1 - s), out[l][0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])
    return out
