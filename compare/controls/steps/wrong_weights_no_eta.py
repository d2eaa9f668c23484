"""Updates b with eta but W without it, W' = W - grad W (a published `W += delta a^T` beside `b += eta * delta`)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "eta left out of the weights' line", "weights_no_eta"


def step(params, x, y, eta):
    return [(W - gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
