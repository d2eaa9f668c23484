"""Updates every W and every b but layer 1's b, whose line is missing: b^1 stays where it was."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "layer 1's bias not updated", "layer_1_b_still"


def step(params, x, y, eta):
    g = mean_grad(params, x, y)
    for l, ((W, b), (gW, gb)) in enumerate(zip(params, g)):
        W -= eta * gW
        if l:                                              # should update b^1 too
            b -= eta * gb
