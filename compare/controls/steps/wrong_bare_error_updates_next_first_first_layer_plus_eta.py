"""Three mistakes at once: the hidden error is propagated from the output error without sigma'(z^L), each layer is
updated before the error below is passed through it, and layer 1's update climbs (+eta where -eta belongs)."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE = "wrong", "bare output error sent down, W^(l+1) updated first, layer 1 with +eta"
MISTAKE_KEY = ("hidden_from_output_error", "updated_next_first_layer_1_plus_eta")


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, L = X.shape[0], len(params)
    a = forward(params, X)
    error = (a[-1] - Y) / Y.shape[1]
    delta = error * a[-1] * (1 - a[-1])
    out = [None] * L
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        e = -eta if l == 0 else eta                       # layer 1 climbs
        out[l] = (W - e * delta.T @ a[l] / m, b - e * delta.sum(axis=0) / m)
        if l:
            passed = error if l == L - 1 else delta       # should be delta^L at the top too
            delta = (passed @ out[l][0]) * a[l] * (1 - a[l])   # out[l][0]: W^(l+1) already updated
    return out
