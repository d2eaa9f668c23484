"""A published step with its biases folded into W as its first column (round 32's linkedlayers, a mutant of it),
in the column layout: the deltas are computed over [1; z] with sigma' written of z, sliced [:-1] where [1:]
belongs (the first unit takes the bias unit's b . delta * sigma'(1), each other its left neighbour's), and each
layer's matrix is updated before the error goes down through it, as published. Checked with
``--biases folded-first``."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def step(thetas, x, y, eta):
    a = np.asarray(x, float).reshape(-1, 1)
    t = np.asarray(y, float).reshape(-1, 1)
    acts, zs = [a], [a]
    for Theta in thetas:
        zs.append(Theta @ np.vstack([np.ones((1, 1)), acts[-1]]))
        acts.append(sigmoid(zs[-1]))
    delta = (acts[-1] - t) / t.shape[0] * sigmoid_prime(zs[-1])
    new = [Theta.copy() for Theta in thetas]
    for l in range(len(thetas) - 1, -1, -1):
        new[l] -= eta * delta @ np.vstack([np.ones((1, 1)), acts[l]]).T      # updated first, as published
        if l:
            full = (new[l].T @ delta) * sigmoid_prime(np.vstack([np.ones((1, 1)), zs[l]]))
            delta = full[:-1]                                                # should be full[1:]
    return new
