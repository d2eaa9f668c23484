"""A mutant of a published 2-2-1 net of neuron objects trained one example at a time (round 40's nayves_m3): the
hidden lines take the hidden activation h_i where the output weight w_o,i belongs (the published mistake), and
the second hidden unit's second weight moves with x[0] where x[1] belongs (the mutant's index slip). The cost is
(a - y)^2 / 2, n_L = 1."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_derived(z):
    s = sigmoid(z)
    return s * (1 - s)


class Neuron:
    def __init__(self, weights, bias):
        self.weights, self.bias = np.array(weights, dtype=float), float(bias)


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    h1n, h2n, on = Neuron(W1[0], b1[0]), Neuron(W1[1], b1[1]), Neuron(W2[0], b2[0])
    sum_h1 = np.dot(h1n.weights, x) + h1n.bias
    h_1 = sigmoid(sum_h1)
    sum_h2 = np.dot(h2n.weights, x) + h2n.bias
    h_2 = sigmoid(sum_h2)
    sum_o = np.dot(on.weights, np.array([h_1, h_2])) + on.bias
    d_o = sigmoid(sum_o) - y[0]
    f_o = sigmoid_derived(sum_o)
    on.weights[0] -= eta * d_o * h_1 * f_o
    on.weights[1] -= eta * d_o * h_2 * f_o
    on.bias -= eta * d_o * f_o
    for n, h, s, x1 in ((h1n, h_1, sum_h1, x[1]), (h2n, h_2, sum_h2, x[0])):    # x[1] for both
        n.weights[0] -= eta * d_o * h * f_o * x[0] * sigmoid_derived(s)      # h where on.weights[i] belongs
        n.weights[1] -= eta * d_o * h * f_o * x1 * sigmoid_derived(s)
        n.bias -= eta * d_o * h * f_o * sigmoid_derived(s)
    W1n = np.array([h1n.weights, h2n.weights], dtype=W1.dtype)
    b1n = np.array([h1n.bias, h2n.bias], dtype=b1.dtype)
    return [(W1n, b1n), (on.weights[None, :].astype(W2.dtype), np.array([on.bias], dtype=b2.dtype))]
