"""Every matrix product by one level of Strassen's algorithm: normwise accurate, but not elementwise.

Strassen's seven products mix the blocks of A and B, so each element of A @ B carries rounding errors the size
of u times the largest products in the whole matrix, not of its own terms: ~1e-13 of each array's largest
element in float64, but far more than that relative to an element that is small. The oracle's bound assumes each
element summed in the dtype's own precision from its own terms, so elements much smaller than their array's
largest fail. Not a mistake in the equations: the arithmetic the bound does not cover (the report should say so).
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "every matmul by one level of Strassen's algorithm (normwise, not elementwise, accurate)"
MISTAKE_KEY = "normwise"


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def strassen(A, B):
    """A @ B by one level of Strassen: A and B padded with zeros to even sizes, split into 2x2 blocks, seven
    block products (plain @) instead of eight."""
    p, q = A.shape
    r = B.shape[1]
    P, Q, R = p + p % 2, q + q % 2, r + r % 2
    Ap = np.zeros((P, Q), A.dtype)
    Ap[:p, :q] = A
    Bp = np.zeros((Q, R), B.dtype)
    Bp[:q, :r] = B
    i, k, j = P // 2, Q // 2, R // 2
    A11, A12, A21, A22 = Ap[:i, :k], Ap[:i, k:], Ap[i:, :k], Ap[i:, k:]
    B11, B12, B21, B22 = Bp[:k, :j], Bp[:k, j:], Bp[k:, :j], Bp[k:, j:]
    M1 = (A11 + A22) @ (B11 + B22)
    M2 = (A21 + A22) @ B11
    M3 = A11 @ (B12 - B22)
    M4 = A22 @ (B21 - B11)
    M5 = (A11 + A12) @ B22
    M6 = (A21 - A11) @ (B11 + B12)
    M7 = (A12 - A22) @ (B21 + B22)
    C = np.empty((P, R), np.result_type(A, B))
    C[:i, :j] = M1 + M4 - M5 + M7
    C[:i, j:] = M3 + M5
    C[i:, :j] = M2 + M4
    C[i:, j:] = M1 - M2 + M3 + M6
    return C[:p, :r]


def grad(params, x, y):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(strassen(a[-1], W.T) + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((strassen(delta.T, a[l - 1]) / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = strassen(delta, params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])  # (W^l)^T delta^l * sigma'
    return grads[::-1]
