"""Correct: ``jax.grad`` of the seed's cost with sigma(z) = 1/2 + tanh(z/2)/2 in ``jax.numpy`` (XLA's tanh).

XLA's float64 tanh is only accurate to about 7.7u near |z/2| = 16, so sigma and sigma' = a(1 - a) are off by up
to ~3.8u absolute near z = -32 (``python -m compare.oracle.reference.sigmatable``): a correct backprop all the
same, which
the bound's absolute floor (``bound.SIGMA_FLOOR``) must admit. Under the old floor of 2u it failed one case of
20,000 (issue 24: ``sizes=51-39-39 batch=0 scale=3.99085762126617 dtype=float64 seed=4244886457727702435``,
layer 2 grad W[13, 32] at 1.37x its tolerance).

One jitted ``jax.grad`` per (depth, width bucket, batch bucket, dtype): every layer is zero-padded to P x P (P
the next power of two >= 8 above the widest layer) and the batch to a power of two >= 16 rows; padded units have
zero weights in and out, padded outputs a = y = 1/2 and padded rows weight 0, so the padding adds exact zeros.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

EXPECT = "right"
MISTAKE = "none: jax.grad, sigma via XLA's tanh"


def _sigmoid(z):
    return 0.5 + 0.5 * jnp.tanh(0.5 * z)


def _cost(Ws, bs, X, Y, row_w, n_L):
    """The seed's cost: the mean over the batch's rows (row_w = 1/m, 0 on padding) of (1/n_L) sum_j 1/2 r_j^2."""
    a = X
    for W, b in zip(Ws, bs):
        a = _sigmoid(a @ W.T + b)
    return jnp.sum(row_w * (0.5 * jnp.sum((a - Y) ** 2, axis=1) / n_L))


_grad = jax.jit(jax.grad(_cost, argnums=(0, 1)))


def _bucket(n: int, least: int) -> int:
    return max(least, 1 << (n - 1).bit_length())


def grad(params, x, y):
    dtype = params[0][0].dtype
    X0 = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one
    Y0 = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y0.shape
    P = _bucket(max([X0.shape[1]] + [W.shape[0] for W, _ in params]), 8)
    M = _bucket(m, 16)
    X, Y = np.zeros((M, P), dtype), np.full((M, P), 0.5, dtype)
    X[:m, :X0.shape[1]], Y[:m, :n_L] = X0, Y0
    Ws, bs = [], []
    for W, b in params:
        Wp, bp = np.zeros((P, P), dtype), np.zeros(P, dtype)
        Wp[:W.shape[0], :W.shape[1]], bp[:b.shape[0]] = W, b
        Ws.append(Wp)
        bs.append(bp)
    row_w = np.zeros(M, dtype)
    row_w[:m] = 1 / m
    with jax.enable_x64(dtype == np.float64):
        gWs, gbs = _grad(Ws, bs, X, Y, row_w, np.asarray(n_L, dtype))
        return [(np.asarray(gW, dtype)[:W.shape[0], :W.shape[1]].copy(), np.asarray(gb, dtype)[:b.shape[0]].copy())
                for gW, gb, (W, b) in zip(gWs, gbs, params)]
