"""Round 73's ab_m2: a per-example step (weights stored inputs x outputs) that updates the output layer before the
hidden error reads its weights (the published bug) and whose output bias line adds its step (the edit). Wrong."""
import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(x, y, W1, b1, W2, b2, eta):
    h = sigmoid(x @ W1 + b1)
    o = sigmoid(h @ W2 + b2)
    delta_o = (o - y) / len(y) * o * (1 - o)
    W2 -= eta * np.outer(h, delta_o)
    b2 += eta * delta_o
    delta_h = (W2 @ delta_o) * h * (1 - h)
    W1 -= eta * np.outer(x, delta_h)
    b1 -= eta * delta_h
