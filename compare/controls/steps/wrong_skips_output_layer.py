"""Updates every layer but the output layer, whatever the depth (an update loop over range(len(weights) - 1))."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the output layer never updated", "skipped_output_layer"


def step(params, x, y, eta):
    grads = mean_grad(params, x, y)
    return [(W - eta * gW, b - eta * gb) if l < len(params) - 1 else (W, b)
            for l, ((W, b), (gW, gb)) in enumerate(zip(params, grads))]
