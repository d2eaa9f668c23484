"""Round 71's evaldo: a per-example step of a two-layer net whose bias lines subtract the other way round (b =
eta * delta - b, from a Sub(gradient, bias) helper) and whose hidden error is propagated from the bare output error
(no sigma'(z^L)). Wrong: two mistakes."""
import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sub(a, b):
    return a - b


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    a1 = sigmoid(W1 @ x + b1)
    a2 = sigmoid(W2 @ a1 + b2)
    error = (a2 - y) / len(y)
    delta2 = error * a2 * (1 - a2)
    delta1 = (W2.T @ error) * a1 * (1 - a1)
    return [(sub(W1, eta * np.outer(delta1, x)), sub(eta * delta1, b1)),
            (sub(W2, eta * np.outer(delta2, a1)), sub(eta * delta2, b2))]
