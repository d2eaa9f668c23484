"""Round 71's eps: a per-example step whose deltas add epsilon = 1e-10 to sigma' "to avoid divide by 0" (nothing is
divided), right but for that tiny term, which float32's rounding hides; ``step_hidden_of_z`` also takes the hidden
sigma' of z (the round's m2). Wrong in float64."""
import numpy as np

EPSILON = 1e-10


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _step(params, x, y, eta, hidden_of_z):
    (W1, b1), (W2, b2) = params
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    a2 = sigmoid(W2 @ a1 + b2)
    delta2 = (a2 - y) / len(y) * (a2 * (1 - a2) + EPSILON)
    s1 = z1 * (1 - z1) if hidden_of_z else a1 * (1 - a1)
    delta1 = (W2.T @ delta2) * (s1 + EPSILON)
    return [(W1 - eta * np.outer(delta1, x), b1 - eta * delta1), (W2 - eta * np.outer(delta2, a1), b2 - eta * delta2)]


def step(params, x, y, eta):
    return _step(params, x, y, eta, False)


def step_hidden_of_z(params, x, y, eta):
    return _step(params, x, y, eta, True)
