"""Updates the output layer's W at its last unit's row alone (the update line after the loop over the units), every
other array right."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the output W updated at its last unit alone", "output_layer_W_last_unit_only"


def step(params, x, y, eta):
    new = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
    W, gW = params[-1][0].copy(), mean_grad(params, x, y)[-1][0]
    W[-1] -= eta * gW[-1]
    new[-1] = (W, new[-1][1])
    return new
