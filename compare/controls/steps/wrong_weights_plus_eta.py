"""Updates b right but W with the wrong sign: W + eta * grad W (a sign slip in the weight line alone)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "+eta for the weights only", "weights_plus_eta"


def step(params, x, y, eta):
    return [(W + eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
