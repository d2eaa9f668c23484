"""A published step of a network without biases (round 35's rodrigo, in the style of "Make Your Own Neural
Network"): the raw error t - o is sent down, never multiplied by sigma' on the way, and in this mutant the output
layer's update drops its sigma' too. Without biases, "sigma'(z^L) missing from delta^L" and "the output layer's
grad W taken before sigma'" make the same step: no case of the run tells them apart. Checked with --biases none."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(Ws, x, y, eta):
    acts = [np.asarray(x, float).reshape(-1, 1)]
    for W in Ws:
        acts.append(_sigmoid(W @ acts[-1]))
    errors = [np.asarray(y, float).reshape(-1, 1) - acts[-1]]
    for W in Ws[:0:-1]:
        errors.insert(0, W.T @ errors[0])                         # the raw error, no sigma'
    new = []
    for l, (W, e) in enumerate(zip(Ws, errors), start=1):
        a = acts[l]
        d = e if l == len(Ws) else e * a * (1 - a)                # the output's a (1 - a) dropped
        new.append(W + eta * d @ acts[l - 1].T)
    return new
