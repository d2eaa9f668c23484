"""The output layer's update written with + where every hidden layer's has -: W^L climbs the cost."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the output layer's step has its sign flipped", "output_layer_plus_eta"


def step(params, x, y, eta):
    L = len(params)
    return [(W + eta * gW, b + eta * gb) if l == L - 1 else (W - eta * gW, b - eta * gb)
            for l, ((W, b), (gW, gb)) in enumerate(zip(params, mean_grad(params, x, y)))]
