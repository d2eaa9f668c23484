"""A forward pass that subtracts the bias, z = W a - b, and a step right for that network: not the seed's."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the bias subtracted in the forward pass", "bias_subtracted"


def step(params, x, y, eta):
    grads = mean_grad([(W, -b) for W, b in params], x, y)
    return [(W - eta * gW, b + eta * gb) for (W, b), (gW, gb) in zip(params, grads)]
