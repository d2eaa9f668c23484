"""Writes the output error as 1 - a^L (the target hard-coded 1): y is never read, every step is the right one for
y = 1."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the target written as the constant 1", "target_constant"


def step(params, x, y, eta):
    ones = np.ones_like(np.asarray(y))
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, ones))]
