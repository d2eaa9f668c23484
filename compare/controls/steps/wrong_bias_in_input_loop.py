"""Updates each bias inside the loop over the layer's inputs: b^l moves n_(l-1) times as far, W is right."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the bias line inside the loop over the inputs", "bias_in_input_loop"


def step(params, x, y, eta):
    out = []
    for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y)):
        for _ in range(W.shape[1]):
            b = b - eta * gb
        out.append((W - eta * gW, b))
    return out
