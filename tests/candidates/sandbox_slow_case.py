"""The project's manual.grad, slow on exactly one case of the default seed (a 46-5 net, a batch of 15): with
``--time-limit 1`` that one call is lost, and every other case must still be judged on its own reply."""

import time

import manual


def grad(params, x, y):
    if x.shape == (15, 46) and params[0][0].shape == (5, 46):
        time.sleep(3)
    return manual.grad(params, x, y)
