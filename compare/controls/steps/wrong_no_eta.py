"""Forgets eta: W - grad W."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "eta not applied", "eta_missing"


def step(params, x, y, eta):
    return [(W - gW, b - gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
