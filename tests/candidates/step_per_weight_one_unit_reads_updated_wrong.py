"""A 2-2-2 step written one weight per line, in the style of round 52's published script (no biases, the cost
1/2 sum_j (o_j - t_j)^2: --scale n_L), with one slip: hidden unit 0's error reads the output weights already
updated (V2, the new ones) where hidden unit 1's reads them as the forward pass used them."""

import math


def s(z):
    return 0.5 + 0.5 * math.tanh(0.5 * z)


def step(params, x, y, eta):
    W1, W2 = params
    h1 = s(W1[0, 0] * x[0] + W1[0, 1] * x[1])
    h2 = s(W1[1, 0] * x[0] + W1[1, 1] * x[1])
    o1 = s(W2[0, 0] * h1 + W2[0, 1] * h2)
    o2 = s(W2[1, 0] * h1 + W2[1, 1] * h2)
    d_o1 = (o1 - y[0]) * o1 * (1 - o1)
    d_o2 = (o2 - y[1]) * o2 * (1 - o2)
    V1, V2 = W1.copy(), W2.copy()
    V2[0, 0] -= eta * d_o1 * h1
    V2[0, 1] -= eta * d_o1 * h2
    V2[1, 0] -= eta * d_o2 * h1
    V2[1, 1] -= eta * d_o2 * h2
    d_h1 = (d_o1 * V2[0, 0] + d_o2 * V2[1, 0]) * h1 * (1 - h1)     # W2 belongs: V2 is already updated
    d_h2 = (d_o1 * W2[0, 1] + d_o2 * W2[1, 1]) * h2 * (1 - h2)
    V1[0, 0] -= eta * d_h1 * x[0]
    V1[0, 1] -= eta * d_h1 * x[1]
    V1[1, 0] -= eta * d_h2 * x[0]
    V1[1, 1] -= eta * d_h2 * x[1]
    return [V1, V2]
