"""A per-example loop whose lines are written per unit (round 46's adelms_m3, a 2-2-1 net of one line per weight),
with one slip: hidden unit 0's bias accumulator is assigned (=) where every other line adds (+=), so b^1_0 is the
batch's last example's alone. Summed cost: --scale 'n_L*m'; right for one example."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, X, Y, eta):
    (W1, b1), (W2, b2) = params
    gW1, gb1, gW2, gb2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)
    for x, y in zip(X, Y):
        h = sigmoid(W1 @ x + b1)
        a = sigmoid(W2 @ h + b2)
        d2 = (a - y) * a * (1 - a)
        d1 = W2.T @ d2 * h * (1 - h)
        gW2 += np.outer(d2, h)
        gb2 += d2
        gW1 += np.outer(d1, x)
        gb1[1:] += d1[1:]
        gb1[0] = d1[0]
    return [(W1 - eta * gW1, b1 - eta * gb1), (W2 - eta * gW2, b2 - eta * gb2)]
