"""Runs only the full mini-batches: the m mod k examples left over never make a step."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY, FORM = "wrong", "last partial mini-batch dropped", "last_dropped", "epoch"


def epoch(params, X, Y, eta, batch_size):
    for s in range(0, X.shape[0] - batch_size + 1, batch_size):
        g = mean_grad(params, X[s:s + batch_size], Y[s:s + batch_size])
        params = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
    return params
