"""A trask-style loop body in the style of round 65's qaisar: no biases, W in-out, the rate fixed at 1, W += with
y - a, and nonlin's derivative written x * (x - 1) = -sigma'. At depth 2 the output layer climbs and the hidden
layer's two signs cancel, the same step as the output layer's update line with its sign flipped."""

import numpy as np


def nonlin(x, derivative=False):
    if derivative:
        return x * (x - 1)               # x * (1 - x) belongs
    return 0.5 * (1 + np.tanh(0.5 * x))


def train_step(X, y, syn0, syn1):
    l1 = nonlin(X @ syn0)
    l2 = nonlin(l1 @ syn1)
    l2_delta = (y - l2) * nonlin(l2, derivative=True)
    l1_delta = l2_delta @ syn1.T * nonlin(l1, derivative=True)
    syn1 += l1.T @ l2_delta
    syn0 += X.T @ l1_delta
