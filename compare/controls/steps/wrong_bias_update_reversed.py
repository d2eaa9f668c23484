"""Updates W right and writes the bias line's subtraction the other way round: b = eta * grad b - b."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the bias line's operands swapped", "bias_update_reversed"


def step(params, x, y, eta):
    return [(W - eta * gW, eta * gb - b) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
