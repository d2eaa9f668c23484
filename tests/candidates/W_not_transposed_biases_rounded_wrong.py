"""The same student backprop with sigma' = a(1 - a) and the hidden error sent down through W^(l+1) where its
transpose belongs: it raises wherever n_(l+1) != n_l, and on square layers (and at depth 1, where no W is read)
its values fail too, the biases' float32 rounding under the transpose's mistake. The crashes are the transpose's
shapes: the value cases say why."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def as_column(b):
    return np.array(b, dtype="float32").reshape(-1, 1)        # should keep b's dtype


def grad(params, x, y):
    a = [np.asarray(x).reshape(-1, 1)]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + as_column(b)))
    n_L = a[-1].shape[0]
    delta = (a[-1] - np.asarray(y).reshape(-1, 1)) / n_L * a[-1] * (1 - a[-1])
    out = []
    for l in range(len(params), 0, -1):
        out.append((delta @ a[l - 1].T, delta.ravel()))
        if l > 1:
            delta = params[l - 1][0] @ delta * a[l - 1] * (1 - a[l - 1])     # should be W.T @ delta
    return out[::-1]
