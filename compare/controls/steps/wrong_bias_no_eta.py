"""Updates W with eta but b without it, b' = b - grad b (a published `b += error` beside `W += eta * ...`)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "eta left out of the bias line", "bias_no_eta"


def step(params, x, y, eta):
    return [(W - eta * gW, b - gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
