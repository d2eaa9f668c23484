"""A published full-batch step on rows (round 42's rachnaraj, in its layout): the output layer's weight step is
np.dot(delta.T, A.T) with the hidden activations A (m, n_1) transposed, where np.dot(delta.T, A) belongs; it runs
only where the batch size m equals n_1 (as in the notebook's 3 examples and 3 hidden units) and raises elsewhere.
Summed cost, climbing y - a: --scale 'n_L*m'."""

import numpy as np


def sigmoid(x):
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def step(params, X, y, lr):
    (weight_h, bias_h), (weight_out, bias_out) = params
    hidden = sigmoid(np.dot(X, weight_h.T) + bias_h)
    out = sigmoid(np.dot(hidden, weight_out.T) + bias_out)
    delta_output = (y - out) * out * (1 - out)
    delta_hidden = delta_output.dot(weight_out) * hidden * (1 - hidden)
    weight_out += delta_output.T.dot(hidden.T) * lr                 # .dot(hidden)
    bias_out += np.sum(delta_output, axis=0, keepdims=True) * lr
    weight_h += delta_hidden.T.dot(X) * lr
    bias_h += np.sum(delta_hidden, axis=0, keepdims=True) * lr
