"""A published step written for one example at a time (round 36's dobisam, "Rede_Neural"): x made a column with
np.array(x, ndmin=2).T and y taken as given, so a batch's error is (m, m) and raises in np.dot; and the hidden
error taken from the bare output error, without sigma'(z^L). Run without --one-example, its batches raise and its
one-example steps are wrong."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def step(params, x, y, eta):
    (W1, b1), (W2, b2) = params
    x = np.array(x, ndmin=2).T
    h = _sigmoid(W1 @ x + b1[:, None])
    o = _sigmoid(W2 @ h + b2[:, None])
    e = (y - o) / o.shape[0]                                    # y as given: a batch's (m, n_L) - (n_L, m)
    e_h = np.dot(W2.T, e)                                       # (W2.T @ (e * o (1 - o))) belongs
    d2, d1 = e * o * (1 - o), e_h * h * (1 - h)
    return [(W1 + eta * d1 @ x.T, b1 + eta * d1[:, 0]), (W2 + eta * d2 @ h.T, b2 + eta * d2[:, 0])]
