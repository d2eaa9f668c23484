"""Updates every layer with eta but layer 1, whose line subtracts the gradient itself: W^1 - grad W^1 (the rate
dropped from one line of the update)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "layer 1's update without eta", "layer_1_no_eta"


def step(params, x, y, eta):
    g = mean_grad(params, x, y)
    for l, ((W, b), (gW, gb)) in enumerate(zip(params, g)):
        rate = 1.0 if l == 0 else eta                      # should be eta in every layer
        W -= rate * gW
        b -= rate * gb
