"""Three mistakes at once (a published pair with a third made on top): the hidden error is propagated from the
output error without sigma'(z^L), each layer is updated before the error below is passed through it, and the
output delta takes sigma' of z^L, z (1 - z), where a^L (1 - a^L) belongs. No two of them reproduce this step."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE = "wrong", "bare output error sent down, W^(l+1) updated first, output sigma' of z"
MISTAKE_KEY = ("hidden_from_output_error", "sigma_prime_of_z_output_layer", "updated_next_first")


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, L = X.shape[0], len(params)
    a = forward(params, X)
    W_L, b_L = params[-1]
    z_L = a[-2] @ W_L.T + b_L
    error = (a[-1] - Y) / Y.shape[1]
    delta = error * z_L * (1 - z_L)                        # sigma'(z^L) should be a^L (1 - a^L)
    out = [None] * L
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        out[l] = (W - eta * delta.T @ a[l] / m, b - eta * delta.sum(axis=0) / m)
        if l:
            passed = error if l == L - 1 else delta       # should be delta^L at the top too
            delta = (passed @ out[l][0]) * a[l] * (1 - a[l])   # out[l][0]: W^(l+1) already updated
    return out
