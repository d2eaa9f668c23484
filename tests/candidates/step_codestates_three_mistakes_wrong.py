"""A fixed 2-3-1 step in the style of round 65's codestates_m2 (a bootcamp's lecture code, no biases, W in-out, the
rate fixed at 1, += with y - o): sigmoidPrime(s) = sigma(s)(1 - sigma(s)) handed the output's activation, the
hidden layer's sigma' taken of the output layer's z, and grad W^2 with the hidden z (the edit). At depth 2 the
output layer is layer 2 and grad W from layer 2 up is the output layer's: one reading, not three."""

import numpy as np


def sigmoid(s):
    return 0.5 * (1 + np.tanh(0.5 * s))


def sigmoid_prime(s):
    sx = sigmoid(s)
    return sx * (1 - sx)


def train(X, y, w1, w2):
    hidden_sum = X @ w1
    activated_hidden = sigmoid(hidden_sum)
    output_sum = activated_hidden @ w2
    o = sigmoid(output_sum)
    o_delta = (y - o) * sigmoid_prime(o)                     # sigma' of the activation
    z2_delta = o_delta @ w2.T * sigmoid_prime(output_sum)    # the output layer's z, not hidden_sum
    w1 += X.T @ z2_delta
    w2 += hidden_sum.T @ o_delta                             # hidden_sum where activated_hidden belongs
