"""A one-example step in the style of round 68's hewmatt (layer objects, an MSE loss mean((y - a)^2), so --scale 2):
its derivative written 2 * np.mean(y_pred - y_true), one number for every output unit, where 2 (y_pred - y_true)
/ n_L belongs. Right where n_L = 1 (the published XOR net)."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def mse_prime(y_true, y_pred):
    return 2 * np.mean(y_pred - y_true)          # 2 * (y_pred - y_true) / np.size(y_true) belongs


def step(params, x, y, eta):
    acts = [x]
    for W, b in params:
        acts.append(sigmoid(W @ acts[-1] + b))
    grad = mse_prime(y, acts[-1]) * np.ones_like(y)
    new = []
    for l in range(len(params), 0, -1):
        W, b = params[l - 1]
        delta = grad * acts[l] * (1 - acts[l])
        grad = W.T @ delta
        new.append((W - eta * np.outer(delta, acts[l - 1]), b - eta * delta))
    return new[::-1]
