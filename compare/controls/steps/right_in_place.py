"""A correct step written with in-place -=, returning nothing."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "right", "", ""


def step(params, x, y, eta):
    for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y)):
        W -= eta * gW
        b -= eta * gb
