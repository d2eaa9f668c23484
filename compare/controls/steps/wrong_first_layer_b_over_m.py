"""Divides the first layer's bias gradient by the mini-batch size again (its own line of the update, written for
a summed gradient); its W step and every other layer's step are right."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "layer 1's b step alone divided by m", "layer_1_b_over_m"


def step(params, x, y, eta):
    m = np.atleast_2d(x).shape[0]
    g = mean_grad(params, x, y)
    new = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
    (W, b), (gW, gb) = params[0], g[0]
    new[0] = (W - eta * gW, b - eta * gb / m)                    # should be b - eta * gb
    return new
