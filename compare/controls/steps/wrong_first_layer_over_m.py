"""Divides the first layer's mean gradient by the mini-batch size again (a line written for a summed gradient
left in after the gradient became a mean); every other layer's step is right."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "layer 1's step alone divided by m", "layer_1_over_m"


def step(params, x, y, eta):
    m = np.atleast_2d(x).shape[0]
    new = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
    (W, b), (gW, gb) = params[0], mean_grad(params, x, y)[0]
    new[0] = (W - eta * gW / m, b - eta * gb / m)                 # should be W - eta * gW
    return new
