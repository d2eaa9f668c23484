"""Multiplies each delta by eta as it goes down, and the update by eta again (round 43's rgx): layer l's step at
eta^(L - l + 2), the output layer's eta^2."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "eta in every delta", "eta_in_deltas"


def step(params, x, y, eta):
    L = len(params)
    return [(W - eta ** (L - l + 2) * gW, b - eta ** (L - l + 2) * gb)
            for l, ((W, b), (gW, gb)) in enumerate(zip(params, mean_grad(params, x, y)), start=1)]
