"""A published two-layer net without biases trained full-batch (round 41's siraj_es, a mutant of it): its sigma'
helper returns 1 * (1 - x) for x * (1 - x), and the hidden delta calls it on the output layer's activation, where
the hidden layer's belongs (it runs only where n_L is 1 or n_1). The cost is the batch's sum of 1/2 (y - a)^2."""

import numpy as np


def sigmoid(x):
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def sigmoid_derivative(x):
    return 1 * (1 - x)                      # x * (1 - x)


def step(X, Y, syn0, syn1, eta):
    l1 = sigmoid(X @ syn0)
    l2 = sigmoid(l1 @ syn1)
    l2_delta = (Y - l2) * sigmoid_derivative(l2)
    l1_delta = (l2_delta @ syn1.T) * sigmoid_derivative(l2)     # sigmoid_derivative(l1)
    syn1 += eta * l1.T @ l2_delta
    syn0 += eta * X.T @ l1_delta
