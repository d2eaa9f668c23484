"""Updates W right but b with the wrong sign: b + eta * grad b (a sign slip in the bias line alone)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "+eta for the bias only", "bias_plus_eta"


def step(params, x, y, eta):
    return [(W - eta * gW, b + eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
