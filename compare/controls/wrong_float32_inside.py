"""The seed's equations evaluated in float32 and cast back: a float64 gradient with float32 precision.

Done "for speed". Values are off by ~1e-7 relative in float64 (far above float64 rounding); for a
float32 network it is exactly the right computation.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "computes in float32 internally"
MISTAKE_KEY = "float32_inside"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    dtype = params[0][0].dtype
    f32 = np.float32  # "fast enough for gradients"
    X = np.atleast_2d(np.asarray(x, f32))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, f32))
    Ws = [np.asarray(W, f32) for W, _ in params]
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, (_, b) in zip(Ws, params):
        a.append(sigmoid(a[-1] @ W.T + b.astype(f32)))
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        gW, gb = delta.T @ a[l - 1] / m, delta.sum(axis=0) / m
        grads.append((gW.astype(dtype), gb.astype(dtype)))  # back to the caller's dtype
        if l > 1:
            delta = (delta @ Ws[l - 1]) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]
