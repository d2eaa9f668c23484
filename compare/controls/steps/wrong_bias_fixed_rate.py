"""Updates W with eta but b with a rate of its own, 0.1 whatever eta is (a published step whose bias line kept
its function's default learning rate)."""
from stepnet import mean_grad

EXPECT, MISTAKE, MISTAKE_KEY = "wrong", "the bias stepped at a fixed rate 0.1", "bias_fixed_rate"


def step(params, x, y, eta):
    return [(W - eta * gW, b - 0.1 * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
