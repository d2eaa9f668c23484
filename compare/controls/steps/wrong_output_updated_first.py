"""Updates the output layer first and propagates the hidden error through the updated W^L; the lower layers'
errors use the forward pass's weights (each is updated after its error is passed down)."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "updates W^L before delta^(L-1) uses it", "updated_output_first"


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
    L = len(params)
    out = [None] * L
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        out[l] = (W - eta * (delta.T @ a[l]) / X.shape[0], b - eta * delta.sum(axis=0) / X.shape[0])
        if l:
            delta = (delta @ (out[l][0] if l == L - 1 else W)) * a[l] * (1 - a[l])   # W^L' where W^L belongs
    return out
