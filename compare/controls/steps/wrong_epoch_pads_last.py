"""Pads the last mini-batch to k with examples from the start of the epoch (np.take(..., mode="wrap"))."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY, FORM = "wrong", "last partial mini-batch padded", "last_padded_wrap", "epoch"


def epoch(params, X, Y, eta, batch_size):
    for s in range(0, X.shape[0], batch_size):
        rows = np.arange(s, s + batch_size)
        g = mean_grad(params, np.take(X, rows, axis=0, mode="wrap"), np.take(Y, rows, axis=0, mode="wrap"))
        params = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
    return params
