"""A correct step that rounds eta into the network's dtype first (float32 nets: eta in float32) and divides the
summed gradient by m itself: extra roundings the step tolerance allows."""
import numpy as np
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "right", "", ""


def step(params, x, y, eta):
    dtype = params[0][0].dtype
    m = np.atleast_2d(x).shape[0]
    eta_m = dtype.type(eta) / dtype.type(m)
    return [(W - eta_m * (m * gW), b - eta_m * (m * gb)) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
