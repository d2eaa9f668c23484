"""A correct step returning new arrays; the given ones are left alone."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "right", "", ""


def step(params, x, y, eta):
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
