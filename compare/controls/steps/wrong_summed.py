"""Sums the mini-batch's gradients instead of averaging them (eta, not eta / m)."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "mini-batch summed, not averaged", "summed"


def step(params, x, y, eta):
    m = np.atleast_2d(x).shape[0]
    return [(W - eta * m * gW, b - eta * m * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
