"""The output layer's weights step uphill (W^L + eta grad W^L, its own line of the update with the sign flipped);
its b step and every other layer's step are right."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the output layer's W step alone climbs", "output_layer_W_plus_eta"


def step(params, x, y, eta):
    g = mean_grad(params, x, y)
    new = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
    (W, b), (gW, gb) = params[-1], g[-1]
    new[-1] = (W + eta * gW, b - eta * gb)                       # should be W - eta * gW
    return new
