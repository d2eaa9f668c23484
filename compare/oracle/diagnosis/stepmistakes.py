"""The catalogue of update mistakes, each a recomputation: a mistake is claimed only when the step computed
*with that mistake* reproduces every element of the candidate's W', b' within the step tolerance
(``bound.step_tolerance`` with the mistake's own coefficient in place of eta).

The recomputations run in float64 from the case's exact inputs: the mean gradient is the reference's
(``jax.grad``), except where the mistake changes the gradient itself (W^{l+1} updated before delta^l used it,
a padded mini-batch), where this module's own backward pass computes it (NumPy, float64; it shares nothing
with the backends).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..reference.bound import UNIT_ROUNDOFF, step_tolerance


class StepMistake(NamedTuple):
    """A catalogued mistake: ``key``, the ``sentence`` that names it in the seed's notation, and ``compute``,
    which returns the parameters a step with that mistake gives, [(W', b'), ...] float64, or None when the
    mistake does not apply to the case, with the coefficient of the gradient it used (for the tolerance)."""

    key: str
    sentence: str
    compute: Callable


class Found(NamedTuple):
    """A mistake that reproduces the candidate: its key and sentence."""

    key: str
    sentence: str


class Inputs(NamedTuple):
    """What a recomputation needs: params [(W, b)] float64, X (m, n_0), Y (m, n_L), eta, m, and the reference
    mean gradients ``g`` [(gW, gb)] float64."""

    params: list
    X: np.ndarray
    Y: np.ndarray
    eta: float
    m: int
    g: list


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _forward_delta(params, X, Y):
    """a^0..a^L for the rows of X, and delta^L of the mean cost, (1/(n_L m)) (a^L - y) * sigma'(z^L)."""
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    return acts, (acts[-1] - Y) / Y.shape[1] * acts[-1] * (1 - acts[-1]) / X.shape[0]


def backward_updating(params, X, Y, eta: float) -> list:
    """The step of code that updates W^l, b^l inside the backward loop, so that delta^{l-1} = (W^l)^T delta^l
    * sigma'(z^{l-1}) uses the *updated* W^l (float64, mean over the m rows)."""
    acts, delta = _forward_delta(params, X, Y)
    new = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        new[l] = (W - eta * (delta.T @ acts[l]), b - eta * delta.sum(axis=0))
        if l:
            delta = (delta @ new[l][0]) * acts[l] * (1 - acts[l])
    return new


def mean_gradient(params, X, Y) -> list:
    """The seed's mean gradient, float64 (for batches the reference did not compute: a padded mini-batch)."""
    acts, delta = _forward_delta(params, X, Y)
    out = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        out[l] = (delta.T @ acts[l], delta.sum(axis=0))
        if l:
            delta = (delta @ params[l][0]) * acts[l] * (1 - acts[l])
    return out


def _scaled(coef_of: Callable) -> Callable:
    def compute(i: Inputs):
        coef = coef_of(i)
        if coef is None:
            return None
        return [(W - coef * gW, b - coef * gb) for (W, b), (gW, gb) in zip(i.params, i.g)], coef
    return compute


def _bias_frozen(i: Inputs):
    return [(W - i.eta * gW, b) for (W, b), (gW, _) in zip(i.params, i.g)], i.eta


def _skip(l: int) -> Callable:
    def compute(i: Inputs):
        if l >= len(i.params):
            return None
        return [(W, b) if k == l else (W - i.eta * gW, b - i.eta * gb)
                for k, ((W, b), (gW, gb)) in enumerate(zip(i.params, i.g))], i.eta
    return compute


def _updated_first(i: Inputs):
    if len(i.params) == 1:
        return None
    return backward_updating(i.params, i.X, i.Y, i.eta), i.eta


def _nothing(i: Inputs):
    return [(W, b) for W, b in i.params], 0.0


STEP_MISTAKES = [
    StepMistake("updated_next_first", "the update used W^{l+1} after updating it: delta^l = (W^{l+1})^T delta^{l+1} "
                "* sigma'(z^l) must use the weights of the forward pass (compute every layer's gradient before "
                "changing any W, or keep the old W^{l+1} until delta^l is computed)", _updated_first),
    StepMistake("eta_twice", "eta applied twice: W' = W - eta^2 grad W", _scaled(lambda i: i.eta * i.eta)),
    StepMistake("eta_missing", "eta not applied: W' = W - grad W (the learning rate is missing)",
                _scaled(lambda i: 1.0)),
    StepMistake("plus_eta", "+eta instead of -eta: W' = W + eta grad W climbs the cost instead of descending it",
                _scaled(lambda i: -i.eta)),
    StepMistake("summed", "the mini-batch summed instead of averaged: W' = W - eta sum_x grad W_x (eta / m is "
                "missing its 1/m: divide the summed gradient by the mini-batch size m)",
                _scaled(lambda i: i.eta * i.m if i.m > 1 else None)),
    StepMistake("mean_twice", "1/m applied twice: W' = W - (eta / m) mean grad W (the gradient was already the "
                "mini-batch mean)", _scaled(lambda i: i.eta / i.m if i.m > 1 else None)),
    StepMistake("bias_not_updated", "the bias not updated: W' is right, b' = b (add b^l <- b^l - eta grad b^l)",
                _bias_frozen),
    *[StepMistake(f"skipped_layer_{l + 1}", f"layer {l + 1} skipped: W^{l + 1} and b^{l + 1} were not updated, "
                  "every other layer was (check the loop's range over l = 1..L)", _skip(l)) for l in range(8)],
    StepMistake("no_update", "nothing was updated: W' = W and b' = b in every layer (an in-place step that rebinds "
                "a local name, W = W - eta * gW, instead of W -= eta * gW or returning the new parameters?)",
                _nothing),
]


def reproduces(got: list, mine: list, i: Inputs, tol_g: list, coef: float, u: float) -> bool:
    """Every element of the candidate's ``got`` within the step tolerance (coefficient ``coef``) of ``mine``."""
    for (cW, cb), (mW, mb), (W, b), (gW, gb), (tW, tb) in zip(got, mine, i.params, i.g, tol_g):
        for c, r, p, g, t in ((cW, mW, W, gW, tW), (cb, mb, b, gb, tb)):
            tol = step_tolerance(p, g, t, max(abs(coef), i.eta), u)
            with np.errstate(invalid="ignore", over="ignore"):
                if not (np.abs(np.asarray(c, np.float64) - r) <= tol).all():
                    return False
    return True


def inputs_of(result) -> tuple[Inputs, list]:
    """A ``stepcheck.StepResult``'s inputs as ``Inputs`` and the gradient tolerances [(tol_W, tol_b)]."""
    params, x, y, layers = result.inputs
    X = np.atleast_2d(np.asarray(x, np.float64))
    Y = np.atleast_2d(np.asarray(y, np.float64))
    p64 = [(np.asarray(W, np.float64), np.asarray(b, np.float64)) for W, b in params]
    g = [(np.asarray(r.W, np.float64), np.asarray(r.b, np.float64)) for r in layers]
    return Inputs(p64, X, Y, result.eta, X.shape[0], g), [(r.tol_W, r.tol_b) for r in layers]


def diagnose_step(result, extra: list[StepMistake] = ()) -> list[Found]:
    """The catalogued mistakes (``STEP_MISTAKES`` then ``extra``) whose recomputation reproduces the failing
    ``stepcheck.StepResult``; empty when none does."""
    i, tol_g = inputs_of(result)
    u = UNIT_ROUNDOFF[result.case.dtype]
    found = []
    for mistake in [*extra, *STEP_MISTAKES]:
        out = mistake.compute(i)
        if out is not None and reproduces(result.got, out[0], i, tol_g, out[1], u):
            found.append(Found(mistake.key, mistake.sentence))
    return found
