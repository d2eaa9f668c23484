"""Per-example SGD where a mini-batch epoch belongs: the mini-batch size is ignored, and every example makes its
own step from the parameters the last one left."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY, FORM = "wrong", "one step per example, batch_size ignored", "steps_per_example", "epoch"


def epoch(params, X, Y, eta, batch_size):
    for s in range(X.shape[0]):                    # should be range(0, m, batch_size), one step per mini-batch
        g = mean_grad(params, X[s:s + 1], Y[s:s + 1])
        params = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
    return params
