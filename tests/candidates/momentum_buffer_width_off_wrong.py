"""A right gradient through a momentum-style buffer sized one column short, in the style of round 52's published
code: zeros (n_l, n_(l-1) - 1) where (n_l, n_(l-1)) belongs, added to grad W in place. It broadcasts only where
n_(l-1) - 1 = 1, so the code runs on nets whose every layer below the output is 2 wide (an XOR demo) and raises
on every other."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def grad(params, x, y):
    a = [x]
    for W, b in params:
        a.append(sigmoid(W @ a[-1] + b))
    delta = (a[-1] - y) * a[-1] * (1 - a[-1]) / y.size
    out = []
    for l in range(len(params), 0, -1):
        W = params[l - 1][0]
        previous = np.zeros((W.shape[0], W.shape[1] - 1), W.dtype)      # (n_l, n_(l-1)) belongs
        gW = np.outer(delta, a[l - 1])
        gW += previous
        out.append((gW, delta))
        delta = W.T @ delta * a[l - 1] * (1 - a[l - 1])
    return out[::-1]
