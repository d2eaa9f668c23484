"""A published full-batch training loop's body, any depth (round 43's rgx): the learning rate goes into each delta
(dw = err * sigma'(a) * lr), which is passed down, and into the update again (w += a^T dw * lr, b += lr * sum(dw)):
layer l moves eta^(L - l + 2) times its gradient. Right only at eta = 1. Summed cost, y - a: --scale 'n_L*m'."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(ws, bs, X, T, lr):
    A = [X]
    for W, b in zip(ws, bs):
        A.append(sigmoid(A[-1] @ W + b))
    dw = (T - A[-1]) * A[-1] * (1 - A[-1]) * lr
    D = [dw]
    for h in range(len(ws) - 1, 0, -1):
        dw = dw @ ws[h].T * A[h] * (1 - A[h]) * lr          # lr carried down with the delta
        D.insert(0, dw)
    for l in range(len(ws)):
        ws[l] += A[l].T @ D[l] * lr
        bs[l] += lr * np.sum(D[l], axis=0)
