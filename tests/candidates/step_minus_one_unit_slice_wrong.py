"""A textbook step with a bias unit fed -1 (Marsland's mlp.py, round 39's marsland_m3, a mutant of it): the weights
in-out with the bias row last, the inputs and hidden activations given a -1 column, full-batch updates on the
summed cost; the hidden deltas over [a; -1] sliced [:, 1:] where [:, :-1] belongs, so each unit takes its right
neighbour's delta and the last the bias unit's (a (1 - a) is -2 there). With --biases folded-last --weights in-out
--negated-bias --batches-only --scale 'n_L*m'."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(weights, x, y, eta):
    W1, W2 = weights
    X = np.concatenate([x, -np.ones((x.shape[0], 1))], axis=1)
    hidden = np.concatenate([_sigmoid(X @ W1), -np.ones((x.shape[0], 1))], axis=1)
    out = _sigmoid(hidden @ W2)
    deltao = (out - y) * out * (1 - out)
    deltah = hidden * (1 - hidden) * (deltao @ W2.T)
    return [W1 - eta * X.T @ deltah[:, 1:], W2 - eta * hidden.T @ deltao]     # deltah[:, :-1] belongs
