"""The error written y - a with W += kept as W -= (it climbs), and eta in the error and again in the update:
W' = W + eta^2 grad W, two slips of the whole step's rate at once."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "+eta instead of -eta, and eta twice", "plus_eta_and_eta_twice"


def step(params, x, y, eta):
    return [(W + eta * eta * gW, b + eta * eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
