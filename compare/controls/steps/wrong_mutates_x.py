"""A correct update that normalises x in place on the way."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "modifies x in place", "mutation"


def step(params, x, y, eta):
    x -= x.mean()
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
