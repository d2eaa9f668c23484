"""A published per-example loop that sums each layer's weight steps and applies them once, divided by the number
of records (round 44's renan_m2, a mutant of a course solution, no biases): the output layer's line assigns
(delta_w_h_o = ...) where it adds, so its step is the last example's alone divided by m. --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(w_i_h, w_h_o, X, Y, learnrate):
    delta_w_i_h = np.zeros(w_i_h.shape)
    delta_w_h_o = np.zeros(w_h_o.shape)
    for x, y in zip(X, Y):
        hidden = sigmoid(x @ w_i_h)
        out = sigmoid(hidden @ w_h_o)
        output_error_term = (y - out) * out * (1 - out)
        hidden_error_term = (w_h_o @ output_error_term) * hidden * (1 - hidden)
        delta_w_h_o = output_error_term * hidden[:, None]                  # += belongs
        delta_w_i_h += hidden_error_term * x[:, None]
    w_i_h += learnrate * delta_w_i_h / X.shape[0]
    w_h_o += learnrate * delta_w_h_o / X.shape[0]
