"""Writes every update's subtraction the other way round: W = eta * grad W - W, b = eta * grad b - b."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the update's operands swapped in every line", "update_reversed"


def step(params, x, y, eta):
    return [(eta * gW - W, eta * gb - b) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
