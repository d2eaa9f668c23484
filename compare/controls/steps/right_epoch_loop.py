"""A correct epoch: mini-batches of k in the order given, the last one smaller."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY, FORM = "right", "", "", "epoch"


def epoch(params, X, Y, eta, batch_size):
    for s in range(0, X.shape[0], batch_size):
        g = mean_grad(params, X[s:s + batch_size], Y[s:s + batch_size])
        params = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
    return params
