"""The hidden layers' update loop written with + where the output layer's has -: every hidden layer climbs."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "every hidden layer's step has its sign flipped", "hidden_layers_plus_eta"


def step(params, x, y, eta):
    L = len(params)
    return [(W + eta * gW, b + eta * gb) if l < L - 1 else (W - eta * gW, b - eta * gb)
            for l, ((W, b), (gW, gb)) in enumerate(zip(params, mean_grad(params, x, y)))]
