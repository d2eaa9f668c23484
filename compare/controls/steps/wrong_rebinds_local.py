"""Meant to update in place but rebinds a local name: nothing changes."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "rebinds W = W - ... in a loop: no update", "no_update"


def step(params, x, y, eta):
    for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y)):
        W = W - eta * gW  # noqa: F841 (the mistake: a new local array, the caller's W is untouched)
        b = b - eta * gb  # noqa: F841
