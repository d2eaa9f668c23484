"""A published in-place step (round 36's mlpjson_m2, a mutant of it) in the row layout: no sigma' anywhere in the
backward pass, and each W updated before the error goes down through it. Its error grows through the updated
weights past float32's range on some large-eta cases, whatever the form of sigma: an overflow of its own mistakes,
not of an exp(-z) (this code takes no sigma' at all)."""

import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))                             # as published; its sigma' is never taken


def step(params, x, y, eta):
    Ws = [W.T.copy() for W, _ in params]                   # (n_(l-1), n_l): the rows' layout
    bs = [b.copy() for _, b in params]
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = [X]
    for W, b in zip(Ws, bs):
        a.append(_sigmoid(a[-1] @ W + b))
    dz = (a[-1] - Y) / X.shape[0]                           # sigma'(z^L) belongs (--scale n_L)
    for i in reversed(range(len(Ws))):
        dw, db = a[i].T @ dz, dz.sum(axis=0)
        Ws[i] -= eta * dw                                   # updated before dz goes down through it
        bs[i] -= eta * db
        if i:
            dz = dz @ Ws[i].T                               # sigma'(z^i) belongs
    return [(W.T, b) for W, b in zip(Ws, bs)]
