"""Round 76's siec look-alike: the weights are updated in a loop over each layer's inputs k, and the bias line sits
inside that loop, so b^l moves n_(l-1) times as far as it should; everything else is right."""
import numpy as np


def _sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = [X]
    for W, b in params:
        a.append(_sigmoid(a[-1] @ W.T + b))
    m, n_L = X.shape[0], Y.shape[1]
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1]) / (m * n_L)
    new = []
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        gW, gb = delta.T @ a[l], delta.sum(axis=0)
        W2, b2 = W.copy(), b.copy()
        for k in range(W.shape[1]):
            W2[:, k] -= eta * gW[:, k]
            b2 -= eta * gb                      # belongs after the loop over k
        new.append((W2, b2))
        delta = (delta @ W) * a[l] * (1 - a[l])
    return new[::-1]
