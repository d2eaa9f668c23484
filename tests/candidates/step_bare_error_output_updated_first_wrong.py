"""A published step of a network without biases (round 35's rodrigo, after "Make Your Own Neural Network"): the raw
error t - o is sent down, never multiplied by sigma' on the way, and in this mutant the output layer is updated
before the error goes down through it (the layers below after). Checked with --biases none."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(Ws, x, y, eta):
    Ws = [W.copy() for W in Ws]
    acts = [np.asarray(x, float).reshape(-1, 1)]
    for W in Ws:
        acts.append(_sigmoid(W @ acts[-1]))
    e = np.asarray(y, float).reshape(-1, 1) - acts[-1]
    Ws[-1] += eta * (e * acts[-1] * (1 - acts[-1])) @ acts[-2].T      # updated before e goes down
    errors = [e]
    for W in Ws[:0:-1]:
        errors.insert(0, W.T @ errors[0])                              # the raw error, no sigma'
    for l in range(len(Ws) - 1):
        a = acts[l + 1]
        Ws[l] += eta * (errors[l] * a * (1 - a)) @ acts[l].T
    return Ws
