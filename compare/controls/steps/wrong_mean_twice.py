"""Divides the mean gradient by m again (eta / m on a gradient already averaged)."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "1/m applied twice", "mean_twice"


def step(params, x, y, eta):
    m = np.atleast_2d(x).shape[0]
    return [(W - eta / m * gW, b - eta / m * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
