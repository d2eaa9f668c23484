"""The reference for one gradient-descent step, W' = W - eta * grad W and b' = b - eta * grad b (grad the mean over
the step's examples, from ``jax.grad``), with a per-element tolerance that stays a bound.

A correct step computes ĝ within the gradient's tolerance t of the reference g (``bound.tolerance``, read through
the engine's ``layer(k, l)``), then rounds a few times in the network's dtype: eta into that dtype, eta / m or
the product by eta, and the subtraction. So

    |W'_candidate - W'_reference| <= eta t + c u (|W| + eta (|g| + t)),     c = bound.STEP_ROUNDINGS = 4

with u the dtype's unit roundoff. A correct step of m examples may also subtract their terms one at a time
(``for d in deltas: b -= eta * d``, round 52's nagesh): m roundings of a running W_k, sum_k u |W_k| <= m u |W| +
m u eta sum_i |g_i|, whose second part is within eta t / 2 (t holds 2 gamma(m) sum_i |g_i|, ``bound``) and so
within the first term: (m - 1) u |W| more is added. The reference W' itself is computed in float64 from the exact
W. Where eta |grad| is far below ulp(W) the correct W' is W itself and the second term covers it: every element is still
compared (the check does not cry wolf), and ``moved`` says which elements the reference moves by more than the
tolerance, i.e. where a step that does nothing would be caught (the check reports how many, and a run in which
no case moved is not a pass: it would be blind).

eta is drawn log-uniform over [ETA_MIN, ETA_MAX], wide enough to reach both sides: float32 nets with
eta |grad| below ulp(W), and steps far bigger than W.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .bound import UNIT_ROUNDOFF, step_tolerance

ETA_MIN, ETA_MAX = 1e-8, 10.0


def draw_etas(n: int, seed: int) -> list[float]:
    """``n`` learning rates, log-uniform in [ETA_MIN, ETA_MAX], from ``seed`` (independent of the cases' draw)."""
    rng = np.random.default_rng([seed, 12])
    return [float(e) for e in np.exp(rng.uniform(np.log(ETA_MIN), np.log(ETA_MAX), n))]


class StepLayer(NamedTuple):
    """One layer's expected step (float64): ``W``, ``b`` the reference W', b'; ``tol_W``, ``tol_b`` their
    tolerances; ``moved_W``, ``moved_b`` (bool) where |W' - W| exceeds the tolerance (a visible update)."""

    W: np.ndarray
    b: np.ndarray
    tol_W: np.ndarray
    tol_b: np.ndarray
    moved_W: np.ndarray
    moved_b: np.ndarray


def expected(params, layers, eta: float, dtype: str, m: int = 1) -> list[StepLayer]:
    """The reference step of ``params`` ([(W (n_l, n_{l-1}), b (n_l,)), ...]) with the reference gradients
    ``layers`` (one ``engine.LayerReference`` per layer: W, b, tol_W, tol_b) of ``m`` examples and learning rate
    ``eta``."""
    u = UNIT_ROUNDOFF[dtype]
    out = []
    for (W, b), r in zip(params, layers):
        W, b = np.asarray(W, np.float64), np.asarray(b, np.float64)
        gW, gb = np.asarray(r.W, np.float64), np.asarray(r.b, np.float64)
        Wn, bn = W - eta * gW, b - eta * gb
        tW, tb = step_tolerance(W, gW, r.tol_W, eta, u, m), step_tolerance(b, gb, r.tol_b, eta, u, m)
        out.append(StepLayer(Wn, bn, tW, tb, np.abs(Wn - W) > tW, np.abs(bn - b) > tb))
    return out
