"""Code that raises at two places (round 31's colmlp): on every net with a layer wider than 1, where a flag was
overwritten by an array (its truth value is ambiguous), and on every other net where an attribute it reads was
never set. The smallest failing case shows only the second."""

import numpy as np


class _Net:
    pass


def _built(params):
    net = _Net()
    for W, _ in params:
        bias = np.zeros((W.shape[0], 1))
        if bias:                                             # a flag overwritten by the loop's array
            net.flag = True
    return net


def grad(params, x, y):
    net = _built(params)
    return net.use_bias                                      # never set


def step(params, x, y, eta):
    net = _built(params)
    return net.use_bias
