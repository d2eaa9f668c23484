"""Multiplies each delta by eta as it goes down (the rate inside sigma'), the update without it (round 46's
weights_ru): layer l's step at eta^(L - l + 1), the output layer's right."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "eta in every delta, not in the update", "eta_in_deltas_only"


def step(params, x, y, eta):
    L = len(params)
    return [(W - eta ** (L - l + 1) * gW, b - eta ** (L - l + 1) * gb)
            for l, ((W, b), (gW, gb)) in enumerate(zip(params, mean_grad(params, x, y)), start=1)]
