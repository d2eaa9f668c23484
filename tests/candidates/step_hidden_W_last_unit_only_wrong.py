"""Round 72's srishti: a per-unit step whose hidden layer's W update line sits after the loop over the hidden units
(indented one level out), so only the last hidden unit's incoming weights move; ``step_no_eta_bias`` has the hidden
bias line without eta too (the round's m3). Wrong."""
import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _step(params, x, y, eta, bias_rate):
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in params]
    n_h, n_o = len(b1), len(b2)
    h = sigmoid(W1 @ x + b1)
    o = sigmoid(W2 @ h + b2)
    d_o = [(o[k] - y[k]) / n_o * o[k] * (1 - o[k]) for k in range(n_o)]
    d_h = [sum(W2[k, j] * d_o[k] for k in range(n_o)) * h[j] * (1 - h[j]) for j in range(n_h)]
    for k in range(n_o):
        W2[k] -= eta * d_o[k] * h
        b2[k] -= eta * d_o[k]
    for j in range(n_h):
        del_W1 = d_h[j] * x
        b1[j] -= bias_rate * d_h[j]
    W1[j] -= eta * del_W1
    return [(W1, b1), (W2, b2)]


def step(params, x, y, eta):
    return _step(params, x, y, eta, eta)


def step_no_eta_bias(params, x, y, eta):
    return _step(params, x, y, eta, 1.0)
