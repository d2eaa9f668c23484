"""Its update loop runs over l = 2..L: layer 1 is never updated."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "layer 1 skipped", "skipped_layer_1"


def step(params, x, y, eta):
    g = mean_grad(params, x, y)
    for l in range(1, len(params)):
        W, b = params[l]
        W -= eta * g[l][0]
        b -= eta * g[l][1]
