"""Updates every layer with eta but layer 1, whose delta already carries eta and whose update multiplies by it
again: W^1 - eta^2 grad W^1 (a learning rate applied twice in one layer)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "layer 1's update with eta twice", "layer_1_eta_twice"


def step(params, x, y, eta):
    g = mean_grad(params, x, y)
    for l, ((W, b), (gW, gb)) in enumerate(zip(params, g)):
        rate = eta * eta if l == 0 else eta                # should be eta in every layer
        W -= rate * gW
        b -= rate * gb
