"""Updates W but never b."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the bias not updated", "bias_not_updated"


def step(params, x, y, eta):
    return [(W - eta * gW, b) for (W, b), (gW, _) in zip(params, mean_grad(params, x, y))]
