"""A 2-2-1 step written weight by weight (a tutorial's form) whose line for b1 takes sigma' at the activation h1,
sigma(h1)(1 - sigma(h1)), where h1 (1 - h1) belongs; every other line is right. One element alone is wrong:
``element_sigma_prime_of_a``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h1 = sigmoid(W1[0] @ x + b1[0])
    h2 = sigmoid(W1[1] @ x + b1[1])
    o = sigmoid(W2[0, 0] * h1 + W2[0, 1] * h2 + b2[0])
    d_o = (o - y[0]) * o * (1 - o)
    e1, e2 = d_o * W2[0, 0], d_o * W2[0, 1]
    s1 = sigmoid(h1)
    new_W1 = W1 - eta * np.array([e1 * h1 * (1 - h1) * x, e2 * h2 * (1 - h2) * x])
    new_b1 = b1 - eta * np.array([e1 * s1 * (1 - s1), e2 * h2 * (1 - h2)])      # b1's sigma' should be h1 (1 - h1)
    new_W2 = W2 - eta * d_o * np.array([[h1, h2]])
    new_b2 = b2 - eta * np.array([d_o])
    return [(new_W1, new_b1), (new_W2, new_b2)]
