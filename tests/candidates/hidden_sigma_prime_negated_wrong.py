"""One column example in, the negative gradient out, output layer first (round 57's weka_m2): the hidden
derivative written h * (h - 1) where h * (1 - h) belongs, so the hidden layer's gradient has its sign flipped.
Checked with --call 'f(x, y, params[2], params[3], params[0], params[1])' --grads flat --grads-reversed
--data columns --biases column --one-example --depth 2 --scale=-n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def backprop(x, target, w_out, b_out, w_h, b_h):
    h = sigmoid(w_h @ x + b_h)                        # H x 1
    out = sigmoid(w_out @ h + b_out)                  # K x 1
    db_out = (target - out) * out * (1 - out)         # minus dC/d(z_out), up to 1/n_L
    dw_out = db_out @ h.reshape(1, -1)
    db_h = (w_out.T @ db_out) * h * (h - 1)           # should be h * (1 - h)
    dw_h = db_h @ x.reshape(1, -1)
    return dw_out, db_out, dw_h, db_h
