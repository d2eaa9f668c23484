"""Gradient buffers made once per epoch and never cleared: each mini-batch adds its summed gradient to them, and
every step descends all the mini-batches' sums so far (a forgotten zero_grad)."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY, FORM = "wrong", "gradient buffers never cleared", "grads_not_cleared", "epoch"


def epoch(params, X, Y, eta, batch_size):
    nabla = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]    # should be zeroed per mini-batch
    for s in range(0, X.shape[0], batch_size):
        Xs, Ys = X[s:s + batch_size], Y[s:s + batch_size]
        m = Xs.shape[0]
        nabla = [(nW + m * gW, nb + m * gb) for (nW, nb), (gW, gb) in zip(nabla, mean_grad(params, Xs, Ys))]
        params = [(W - eta / m * nW, b - eta / m * nb) for (W, b), (nW, nb) in zip(params, nabla)]
    return params
