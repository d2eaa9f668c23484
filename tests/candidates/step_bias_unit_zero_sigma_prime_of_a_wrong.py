"""A one-example step in the style of round 53's kathy_m3: each layer's input gets a bias unit, written
np.zeros where np.ones belongs (so b never enters the forward pass and its step is 0), and sigma' is taken of the
activation, g(a) (1 - g(a)), where a (1 - a) belongs."""

import numpy as np


def g(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def g_prime(x):
    return g(x) * (1.0 - g(x))


def step(params, x, y, eta):
    Ws = [np.hstack([b[:, None], W]) for W, b in params]     # the bias folded in as W's first column
    a = [x]
    for W in Ws:
        a.append(g(W @ np.concatenate(([0.0], a[-1]))))     # the bias unit: should be 1
    deltas = [(a[-1] - y) / y.size * g_prime(a[-1])]
    for l in range(len(Ws) - 1, 0, -1):
        deltas.append(Ws[l][:, 1:].T @ deltas[-1] * g_prime(a[l]))
    deltas.reverse()
    new = []
    for l, W in enumerate(Ws):
        W = W - eta * np.outer(deltas[l], np.concatenate(([0.0], a[l])))
        new.append((W[:, 1:], W[:, 0]))
    return new
