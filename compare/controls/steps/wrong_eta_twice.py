"""Multiplies by eta twice."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "eta applied twice", "eta_twice"


def step(params, x, y, eta):
    return [(W - eta * (eta * gW), b - eta * (eta * gb)) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
