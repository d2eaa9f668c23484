"""Three mistakes at once (a published pair, code with b folded into W as its first column, and a wrong index on
top): the hidden error is propagated from the output error without sigma'(z^L), and every error through
([b W]^(l+1))[:, :-1] (the bias column in, W's last column out) of a layer already updated. No two of them
reproduce this step."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE = "wrong", "bare output error sent down through [b W][:, :-1] of the updated output layer"
MISTAKE_KEY = ("folded_slice_first", "hidden_from_output_error", "updated_next_first")


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, L = X.shape[0], len(params)
    a = forward(params, X)
    error = (a[-1] - Y) / Y.shape[1]
    delta = error * a[-1] * (1 - a[-1])
    out = [None] * L
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        out[l] = (W - eta * delta.T @ a[l] / m, b - eta * delta.sum(axis=0) / m)
        if l:
            bW = np.concatenate([out[l][1][:, None], out[l][0]], axis=1)    # [b W], already updated
            passed = error if l == L - 1 else delta                       # should be delta^L at the top too
            delta = (passed @ bW[:, :-1]) * a[l] * (1 - a[l])             # [:, 1:] (W itself) belongs
    return out
