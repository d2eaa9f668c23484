"""Assigns the bias its step instead of adding it: b = -eta grad b (the old b lost), W updated right."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the bias replaced by its step", "bias_replaced"


def step(params, x, y, eta):
    return [(W - eta * gW, -eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
