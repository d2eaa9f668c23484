"""Adds the gradient: W + eta grad W."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "+eta instead of -eta", "plus_eta"


def step(params, x, y, eta):
    return [(W + eta * gW, b + eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
