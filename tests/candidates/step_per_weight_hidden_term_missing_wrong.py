"""A 2-2-2 step written one weight per line, in the style of round 51's published code (no biases, the cost
1/2 sum_j (o_j - t_j)^2: --scale n_L), with two slips: hidden unit 0's error leaves out output unit 1's
term (d_o1 * w alone where d_o1 * w + d_o2 * w' belongs), and the output weights are updated before the hidden
errors read them."""

import math


def s(z):
    return 0.5 + 0.5 * math.tanh(0.5 * z)


def step(params, x, y, eta):
    W1, W2 = (W.copy() for W in params)
    h1 = s(W1[0, 0] * x[0] + W1[0, 1] * x[1])
    h2 = s(W1[1, 0] * x[0] + W1[1, 1] * x[1])
    o1 = s(W2[0, 0] * h1 + W2[0, 1] * h2)
    o2 = s(W2[1, 0] * h1 + W2[1, 1] * h2)
    d_o1 = (o1 - y[0]) * o1 * (1 - o1)
    d_o2 = (o2 - y[1]) * o2 * (1 - o2)
    W2[0, 0] -= eta * d_o1 * h1
    W2[0, 1] -= eta * d_o1 * h2
    W2[1, 0] -= eta * d_o2 * h1
    W2[1, 1] -= eta * d_o2 * h2
    d_h1 = d_o1 * W2[0, 0] * h1 * (1 - h1)          # + d_o2 * W2[1, 0] left out; W2 already updated
    d_h2 = (d_o1 * W2[0, 1] + d_o2 * W2[1, 1]) * h2 * (1 - h2)
    W1[0, 0] -= eta * d_h1 * x[0]
    W1[0, 1] -= eta * d_h1 * x[1]
    W1[1, 0] -= eta * d_h2 * x[0]
    W1[1, 1] -= eta * d_h2 * x[1]
    return [W1, W2]
