"""A correct step that subtracts each example's term one at a time, for d in deltas: b -= eta * d / m (round
52's nagesh: the sum over the batch done by the update itself, m roundings of b; the step tolerance allows them)."""
import numpy as np
from stepnet import forward

EXPECT, MISTAKE, MISTAKE_KEY = "right", "", ""


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    m, n_L = X.shape[0], Y.shape[1]
    a = forward(params, X)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])   # delta^L, one row per example
    new = [(W.copy(), b.copy()) for W, b in params]
    for l in range(len(params) - 1, -1, -1):
        W, b = new[l]
        for d, a_in in zip(delta, a[l]):              # one example's term at a time
            W -= eta * np.outer(d, a_in) / m
            b -= eta * d / m
        if l:
            delta = (delta @ params[l][0]) * a[l] * (1 - a[l])
    return new
