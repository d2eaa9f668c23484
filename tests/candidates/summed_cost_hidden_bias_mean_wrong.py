"""A gradient in the style of round 66's bayun_m3 (a homework's backprop): W in-out, b a (1, n) row, the gradient of
1/2 sum over the batch and the units (no 1/n_L, no batch mean: the constant n_L*m), and layer 1's grad b alone
averaged, np.mean, where every other array is summed (the edit)."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def backprop(params, x, y):
    (w1, b1), (w2, b2) = params
    a1 = sigmoid(x @ w1 + b1)
    a2 = sigmoid(a1 @ w2 + b2)
    delta2 = (a2 - y) * a2 * (1 - a2)
    delta1 = delta2 @ w2.T * a1 * (1 - a1)
    return [(x.T @ delta1, np.mean(delta1, axis=0, keepdims=True)),      # np.sum belongs
            (a1.T @ delta2, np.sum(delta2, axis=0, keepdims=True))]
