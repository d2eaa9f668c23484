"""Gradient descent with the hand-derived gradient: SGD, mini-batch and batch, in NumPy.

The seed's update for every layer l, with the gradient averaged over the examples of a step:

    W^l <- W^l - eta grad W^l        b^l <- b^l - eta grad b^l

- SGD (``batch_size=1``): one example per step;
- mini-batch (``batch_size=k``): k examples per step, the last step of an epoch takes what is left;
- batch (``batch_size=None``): every example in one step, one step per epoch.

The order of the examples: ``rng = np.random.default_rng(seed)`` is made once per call, and each epoch
visits the examples in the order ``rng.permutation(n)``. ``autodiff.train`` does exactly the same, so the
two backends follow the same trajectory and can be compared parameter by parameter. When one step holds
every example (batch gradient descent, or ``batch_size >= n``) the order cannot change the step, so no
permutation is drawn and the examples are summed in the order given: one epoch of batch gradient descent
is then exactly ``W - eta * grad(params, X, Y)`` for each layer.
"""

from __future__ import annotations

import numpy as np

from .careful import _in_range
from .data import Callback, check_batch, check_diverged, check_train_args, fraction_correct
from .network import _forward_all, _grad, _sigma_prime
from .params import Params, check_params


def _step(params: Params, X: np.ndarray, Y: np.ndarray, eta: float, gradient=_grad) -> Params:
    """One gradient-descent step on the batch (X, Y): new arrays, the old ones are left as they were."""
    return [
        (W - eta * gW,     # W - eta * grad W   (seed: W^l - eta grad W^l)
         b - eta * gb)     # b - eta * grad b   (seed: b^l - eta grad b^l)
        for (W, b), (gW, gb) in zip(params, gradient(params, X, Y))
    ]


def _careful_grad(params: Params, X: np.ndarray, Y: np.ndarray) -> Params:
    """``grad``'s gradient with its overflow care (``careful._in_range``): for an epoch whose plain steps overflowed."""
    return _in_range(_grad, params, X, Y, params[0][0].dtype, _forward_all, _sigma_prime)


def _steps(params: Params, batches: list, eta: float, gradient=_grad) -> Params:
    """One ``_step`` per (X, Y) in ``batches``, in order, each from where the last one left the parameters."""
    current = params
    for X, Y in batches:
        current = _step(current, X, Y, eta, gradient)
    return current


def _epoch(params: Params, batches: list, eta: float) -> Params:
    """The steps of one epoch, plain; where the end is not finite, again from ``params`` with ``_careful_grad``.
    A non-finite value never becomes finite in a later step (inf and NaN carry through), so the check at the end
    sees every overflow, and an epoch is refused (``check_diverged``) only where a gradient or a step is truly
    beyond range: the same steps ``grad`` gives."""
    current = _steps(params, batches, eta)
    if all(np.isfinite(a).all() for pair in current for a in pair):
        return current
    return _steps(params, batches, eta, _careful_grad)


def train(params: Params, X, Y, *, eta: float, epochs: int, batch_size: int | None = None, seed: int | None = 0,
          callback: Callback | None = None) -> Params:
    """Train by gradient descent; return NEW parameters (``params`` and the data are never modified).

    params: ``[(W^l (n_l, n_{l-1}), b^l (n_l,)), ...]``, all float32 or all float64.
    X: ``(m, n_0)``, Y: ``(m, n_L)``, one example per row, of the parameters' dtype (or integer/bool).
    eta: learning rate, finite and > 0 (a Python float: float32 networks stay float32).
    epochs: passes over the data, >= 0 (0 returns a copy of ``params``).
    batch_size: None for batch gradient descent (one step per epoch on all m examples), 1 for stochastic
        gradient descent, k for mini-batches of k (the last step of an epoch uses the m mod k left over).
    seed: seeds the one ``np.random.default_rng(seed)`` whose ``permutation(m)`` orders each epoch.
    callback: called as ``callback(epoch, params)`` after every epoch, epoch = 1..epochs, with a copy of
        the parameters at that point (NumPy arrays; the callback may keep them: training does not touch
        them). Use it to record cost or accuracy per epoch. Its return value is ignored.

    Returns the trained parameters, ``[(W, b), ...]`` in the network's dtype.
    """
    params, dtype = check_params(params)
    X, Y = check_batch(params, dtype, X, Y)
    eta, epochs, batch_size, seed = check_train_args(eta, epochs, batch_size, seed, callback, dtype)
    m = X.shape[0]
    step_size = m if batch_size is None else min(batch_size, m)

    rng = np.random.default_rng(seed)
    current = [(W.copy(), b.copy()) for W, b in params]   # never hand the caller's arrays back
    for epoch in range(1, epochs + 1):
        if step_size == m:
            batches = [(X, Y)]                        # one step on every example: the order does not matter
        else:
            order = rng.permutation(m)
            Xp, Yp = X[order], Y[order]               # this epoch's order, gathered once
            batches = [(Xp[start:start + step_size], Yp[start:start + step_size]) for start in range(0, m, step_size)]
        with np.errstate(over="ignore", invalid="ignore"):   # an overflowing step is refused just below
            current = _epoch(current, batches, eta)
        check_diverged(current, epoch, dtype)
        if callback is not None:
            callback(epoch, [(W.copy(), b.copy()) for W, b in current])
    return current


def accuracy(params: Params, X, labels) -> float:
    """Fraction of the examples whose largest output is their label: mean(argmax_j a_j^L == label).

    X: ``(m, n_0)``; labels: ``(m,)`` integers in ``0..n_L-1``. Returns a Python float in [0, 1].
    """
    return fraction_correct(params, X, labels, lambda params, X: _forward_all(params, X)[-1])
