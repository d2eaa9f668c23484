"""Gradient descent with gradients from ``jax.grad``: the independent twin of ``manual.train``.

Same signature, same arguments refused, same order of examples (one ``np.random.default_rng(seed)`` per
call, ``rng.permutation(n)`` per epoch; no permutation when one step holds every example), so on the same
start the two backends' parameters agree to rounding. Only the cost is written here (in ``network.py``);
the gradient comes from ``jax.grad`` and nothing of ``manual``'s math is imported.

Speed: one jitted call per epoch. Inside it the epoch's permutation is gathered, its full mini-batches run
under ``lax.scan`` (one compiled step, reused), and a last, smaller step takes the leftover examples.
Shapes are static, so a run compiles once per (sizes, n, batch_size, dtype) and every epoch reuses it.
float64 runs inside ``jax.enable_x64(True)`` (scoped: the caller's x64 setting is left alone).
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from manual.data import Callback, check_batch, check_diverged, check_train_args, fraction_correct
from manual.params import Params, check_params

from . import careful
from .network import _cost_flagged, _forward_flagged, _grad_flagged_jit, _precision


def _step(params, X, Y, eta):
    """One step on the batch (X, Y): W - eta * dC/dW and b - eta * dC/db, the gradient from jax.grad."""
    g = careful._grad(_cost_flagged, params, X, Y)   # the batch mean's gradient, with careful.py's rules
    return _update(params, g, eta)


def _update(params, g, eta):
    """W - eta * grad W, b - eta * grad b (inside a jitted epoch, where XLA may fuse them into one FMA)."""
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]


_scale_jit = jax.jit(lambda g, eta: [(eta * gW, eta * gb) for gW, gb in g])
_subtract_jit = jax.jit(lambda params, s: [(W - sW, b - sb) for (W, b), (sW, sb) in zip(params, s)])


def _full_step(params, X, Y, eta, dtype: np.dtype):
    """Batch gradient descent: one step on every example, in the order given, bit for bit
    ``W - eta * autodiff.grad(...)``: the gradient is the very program ``autodiff.grad`` runs (a jitted
    function compiles differently inside a bigger one), with its overflow care where the plain one overflowed
    (``careful.grad``: a gradient in range is taken, one beyond range refused), and eta * grad is rounded before
    the subtraction (one program would fuse them into a fused multiply-add, which rounds once)."""
    g, overflow = _grad_flagged_jit(params, X, Y)
    if overflow or not careful._finite(g):
        g = careful.grad(_cost_flagged, params, X, Y, dtype)
    return _subtract_jit(params, _scale_jit(g, eta))


@partial(jax.jit, static_argnames=("batch_size",))
def _epoch(params, X, Y, order, eta, batch_size: int):
    """One epoch of mini-batches of ``batch_size`` over X[order], Y[order]; the leftover is a last, smaller step."""
    m = X.shape[0]
    k, r = divmod(m, batch_size)
    Xp, Yp = X[order], Y[order]
    if k:
        full_X = Xp[: k * batch_size].reshape(k, batch_size, X.shape[1])
        full_Y = Yp[: k * batch_size].reshape(k, batch_size, Y.shape[1])
        params, _ = lax.scan(lambda p, xy: (_step(p, xy[0], xy[1], eta), None), params, (full_X, full_Y))
    if r:
        params = _step(params, Xp[k * batch_size:], Yp[k * batch_size:], eta)
    return params


def _numpy(params) -> Params:
    return [(np.array(W), np.array(b)) for W, b in params]   # writeable NumPy copies


def train(params: Params, X, Y, *, eta: float, epochs: int, batch_size: int | None = None, seed: int | None = 0,
          callback: Callback | None = None) -> Params:
    """Train by gradient descent; return NEW parameters as NumPy arrays (nothing passed in is modified).

    params: ``[(W^l (n_l, n_{l-1}), b^l (n_l,)), ...]``, all float32 or all float64 (kept in that dtype).
    X: ``(m, n_0)``, Y: ``(m, n_L)``, one example per row. eta: learning rate, finite and > 0.
    epochs: passes over the data, >= 0. batch_size: None for batch gradient descent, 1 for stochastic
    gradient descent, k for mini-batches of k (the last step of an epoch uses the m mod k left over).
    seed: seeds the one ``np.random.default_rng(seed)`` whose ``permutation(m)`` orders each epoch.
    callback: called as ``callback(epoch, params)`` after every epoch, epoch = 1..epochs, with the
    parameters at that point as NumPy arrays (copies the callback may keep). Its return value is ignored.
    """
    params, dtype = check_params(params)
    X, Y = check_batch(params, dtype, X, Y)
    eta, epochs, batch_size, seed = check_train_args(eta, epochs, batch_size, seed, callback, dtype)
    m = X.shape[0]
    step_size = m if batch_size is None else min(batch_size, m)

    rng = np.random.default_rng(seed)
    with _precision(dtype):
        current = [(jnp.asarray(W), jnp.asarray(b)) for W, b in params]   # device copies; params untouched
        X_dev, Y_dev = jnp.asarray(X), jnp.asarray(Y)
        eta_dev = jnp.asarray(eta, dtype=dtype)    # eta in the network's dtype: float32 stays float32
        for epoch in range(1, epochs + 1):
            if step_size == m:
                current = _full_step(current, X_dev, Y_dev, eta_dev, dtype)
            else:
                order = jnp.asarray(rng.permutation(m))
                current = _epoch(current, X_dev, Y_dev, order, eta_dev, batch_size=step_size)
            if callback is not None:
                snapshot = _numpy(current)
                check_diverged(snapshot, epoch, dtype)
                callback(epoch, snapshot)
        out = _numpy(current)
    check_diverged(out, epochs, dtype)   # once not finite a parameter stays so: checking the end is enough
    return out


def accuracy(params: Params, X, labels) -> float:
    """Fraction of the examples whose largest output is their label: mean(argmax_j a_j^L == label).

    X: ``(m, n_0)``; labels: ``(m,)`` integers in ``0..n_L-1``. Returns a Python float in [0, 1].
    """
    return fraction_correct(params, X, labels, _outputs)


def _outputs(params: Params, X: np.ndarray) -> np.ndarray:
    """a^L for validated arrays, with careful.py's rules (as ``autodiff.train`` steps)."""
    with _precision(X.dtype):
        return np.asarray(careful._forward_jit(_forward_flagged, params, X))
