"""Adds L2 weight decay, lambda = 0.01, to W's gradient (a published homework step whose GD kept its default
regulariser): W' = W - eta (grad W + 0.01 W), b' right."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "L2 weight decay 0.01 on W", "weight_decay"


def step(params, x, y, eta):
    return [(W - eta * (gW + 0.01 * W), b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
