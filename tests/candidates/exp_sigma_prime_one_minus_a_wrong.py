"""A per-example step with sigma and sigma' written with exp(-z), sigma' missing its square (round 70's krelle_m2):
sigma'(z) = exp(-z)/(1 + exp(-z)) = 1 - a, NaN where exp(-z) overflows. The cost is the mean over the outputs
without the 1/2 (--scale 2). Wrong."""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(-z))


def mse_prime(y_true, y_pred):
    return 2 * (y_pred - y_true) / y_pred.size


def step(params, x, y, eta):
    zs, acts = [], [x]
    for W, b in params:
        zs.append(W @ acts[-1] + b)
        acts.append(sigmoid(zs[-1]))
    error = mse_prime(y, acts[-1])
    new = []
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        delta = error * sigmoid_prime(zs[l])
        error = W.T @ delta
        new.append((W - eta * np.outer(delta, acts[l]), b - eta * delta))
    return new[::-1]


def grad(params, x, y):
    """The same backward pass as a gradient: [(grad W, grad b)] per layer."""
    zs, acts = [], [x]
    for W, b in params:
        zs.append(W @ acts[-1] + b)
        acts.append(sigmoid(zs[-1]))
    error = mse_prime(y, acts[-1])
    out = []
    for l in range(len(params) - 1, -1, -1):
        delta = error * sigmoid_prime(zs[l])
        error = params[l][0].T @ delta
        out.append((np.outer(delta, acts[l]), delta))
    return out[::-1]
