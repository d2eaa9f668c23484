"""A one-example step in the style of round 56's red344_m3 (three layers): the output layer's W is updated before
the hidden error is propagated through it (the lower layers' recurrences read the old weights), and every bias
line leaves eta out (b += delta). Each mistake alone misses the step; the two together reproduce it."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    a = [x]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b))
    L = len(params)
    Ws = [W.copy() for W, _ in params]
    bs = [b.copy() for _, b in params]
    delta = (a[L] - y) / y.size * a[L] * (1 - a[L])
    for l in range(L, 0, -1):
        Ws[l - 1] = Ws[l - 1] - eta * np.outer(delta, a[l - 1])
        bs[l - 1] = bs[l - 1] - delta                       # eta left out of the bias line
        if l > 1:
            W_above = Ws[l - 1] if l == L else params[l - 1][0]   # the output layer's W read after its update
            delta = W_above.T @ delta * a[l - 1] * (1 - a[l - 1])
    return list(zip(Ws, bs))
