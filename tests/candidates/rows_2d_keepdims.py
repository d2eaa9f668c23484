"""A course-notebook backprop on row examples: X is always (m, n_0), one example too ((1, n_0), as the
notebook slices it, X[i:i+1]); b and its gradient are (1, n_l) rows (keepdims). Right with
``--data rows-2d --biases row``; on a 1-D example it crashes (``m, n_L = Y.shape``)."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def grad(params, X, Y):
    m, n_L = Y.shape
    A = [X]
    for W, b in params:
        A.append(sigmoid(A[-1] @ W.T + b))
    dZ = (A[-1] - Y) / (n_L * m) * A[-1] * (1 - A[-1])
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        grads[l] = (dZ.T @ A[l], np.sum(dZ, axis=0, keepdims=True))
        if l:
            dZ = (dZ @ params[l][0]) * A[l] * (1 - A[l])
    return grads
