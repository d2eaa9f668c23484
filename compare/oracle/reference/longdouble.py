"""The reference for extreme cases: the seed's equations in long double, with the rounding-error bound evaluated
there too.

jax.grad of the plain network overflows on these cases (|W| |a| near the dtype's limit, (a - y)^2 for |y| ~
1e154, inf * 0 at a saturated unit), so it is not the reference here. Long double (x86: a 64-bit mantissa and
exponents up to 16383) holds every value these cases produce, products of float64 extremes included, so the
seed's equations written plainly in it (sigma and sigma' from z, stably) are exact to about 2^-64 relative, 2048
times finer than float64's u: far inside the bound, which is what the candidate is held to. The bound
(``bound.bound``) is evaluated in long double with the case dtype's u and, because subnormal values occur here,
its underflow term (``eta``, the dtype's smallest subnormal). This module shares no code with the backends.

A value beyond the dtype's range is an outcome of its own (``RangeInfo``): the exact value cannot be returned,
so a correct candidate refuses; ``ranges`` states what is compared there.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .bound import UNIT_ROUNDOFF, Net, Values, bound, tolerance
from .engine import Reference

LD = np.longdouble


def available() -> bool:
    """Long double is wider than float64 here (false on platforms where it is float64 itself)."""
    return np.finfo(LD).maxexp > np.finfo(np.float64).maxexp and np.finfo(LD).nmant > np.finfo(np.float64).nmant


class RangeInfo(NamedTuple):
    """Per case (K,): whether the exact gradient (some element) or cost is *surely* beyond the dtype's range
    (|value| - tolerance > max) and whether it *may* be (|value| + tolerance > max)."""

    grad_beyond: np.ndarray
    grad_maybe: np.ndarray
    cost_beyond: np.ndarray
    cost_maybe: np.ndarray


def _sigma(z):
    """(sigma(z), sigma'(z)) from z, stably, no overflow: e = exp(-|z|) <= 1."""
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e)), e / (1 + e) ** 2


def _pad(cases, dtype: str):
    """The chunk's cases zero-padded (as ``engine.pack`` does, to the chunk's own depth, width and batch), in
    long double: Ws (K, D, P, P), bs (K, D, P), X, Y (K, M, P) (padded outputs a = y = 1/2), row_w, active, n."""
    K = len(cases)
    D = max(len(p) for p, _, _ in cases)
    P = max(max([W.shape[1] for W, _ in p] + [len(p[-1][1])]) for p, _, _ in cases)
    M = max(1 if x.ndim == 1 else x.shape[0] for _, x, _ in cases)
    Ws, bs = np.zeros((K, D, P, P), LD), np.zeros((K, D, P), LD)
    X, Y = np.zeros((K, M, P), LD), np.full((K, M, P), 0.5, LD)
    row_w, active, n = np.zeros((K, M), LD), np.zeros((K, D), bool), np.ones((K, D + 1), np.int64)
    for k, (params, x, y) in enumerate(cases):
        x2, y2 = np.atleast_2d(x), np.atleast_2d(y)
        m = x2.shape[0]
        X[k, :m, :x2.shape[1]], Y[k, :m, :y2.shape[1]] = x2, y2
        row_w[k, :m] = LD(1) / m
        n[k, 0] = x2.shape[1]
        for l, (W, b) in enumerate(params):
            Ws[k, l, :W.shape[0], :W.shape[1]], bs[k, l, :b.shape[0]] = W, b
            active[k, l], n[k, l + 1] = True, W.shape[0]
    return Net(Ws, bs, Y, row_w, active, n), X


def _values(net: Net, X: np.ndarray) -> Values:
    """The seed's forward pass, cost and backward pass on the padded chunk, in long double (a padded layer passes
    its input through, as in ``engine``)."""
    K, D = net.active.shape
    L = net.active.sum(axis=1)
    n_L = net.n[np.arange(K), L].astype(LD)
    a, acts, zs, sps = X, [X], [], []
    for l in range(D):
        on = net.active[:, l, None, None]
        z = a @ net.Ws[:, l].transpose(0, 2, 1) + net.bs[:, l, None, :]       # z^l = W^l a^{l-1} + b^l
        s, sp = _sigma(z)
        a = np.where(on, s, a)                                                # a^l = sigma(z^l)
        acts.append(a)
        zs.append(z)
        sps.append(sp)
    r = a - net.Y
    C = (net.row_w * 0.5 * (r * r).sum(axis=-1)).sum(axis=-1) / n_L            # mean over rows of (1/n_L) sum 1/2 r^2
    g = net.row_w[:, :, None] * r / n_L[:, None, None]                          # dC/da^L, with the batch mean
    gW, gb, deltas = [None] * D, [None] * D, [None] * D
    for l in reversed(range(D)):
        on = net.active[:, l, None, None]
        delta = np.where(on, g * sps[l], 0)                                   # delta^l = g ⊙ sigma'(z^l)
        gW[l] = delta.transpose(0, 2, 1) @ acts[l]                            # grad W^l = delta^l (a^{l-1})^T
        gb[l] = delta.sum(axis=1)                                             # grad b^l = delta^l
        g = np.where(on, delta @ net.Ws[:, l], g)                             # (W^l)^T delta^l
        deltas[l] = delta
    return Values(np.stack(gW, 1), np.stack(gb, 1), C, np.stack(acts, 1), np.stack(zs, 1), np.stack(deltas, 1))


def _beyond(values: np.ndarray, tol: np.ndarray, limit: float, axes) -> tuple[np.ndarray, np.ndarray]:
    mag = np.abs(values)
    return (mag - tol > limit).any(axis=axes), (mag + tol > limit).any(axis=axes)


def reference(cases, dtype: str) -> tuple[Reference, RangeInfo]:
    """The reference of a chunk of extreme cases of one dtype (materialised ``(params, x, y)``): values and
    bounds as float64 (a value beyond float64's range is clipped to +-max, a bound beyond half of it is inf;
    ``RangeInfo`` says which cases reach beyond the dtype's range), in ``engine.Reference``'s layout."""
    net, X = _pad(cases, dtype)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        v = _values(net, X)
        fi = np.finfo(dtype)
        B = bound(net, v, UNIT_ROUNDOFF[dtype], eta=float(fi.smallest_subnormal))
        limit = LD(fi.max)
        on = net.active[:, :, None, None]
        gW_b, gW_m = _beyond(np.where(on, v.gW, 0), tolerance(B.W), limit, (1, 2, 3))
        gb_b, gb_m = _beyond(np.where(on[..., 0], v.gb, 0), tolerance(B.b), limit, (1, 2))
        C_b, C_m = _beyond(v.C, tolerance(B.C), limit, ())
        info = RangeInfo(gW_b | gb_b, gW_m | gb_m, C_b, C_m)
        f64 = np.finfo(np.float64).max

        def out(arr):
            return np.clip(arr, -f64, f64).astype(np.float64)

        def loose(arr):   # a bound whose tolerance (twice it) is beyond float64's range: inf, no overflow later
            return np.where(arr > f64 / 2, np.inf, arr).astype(np.float64)

        bounds = type(B)(loose(B.W), loose(B.b), loose(B.C))
    return Reference(out(v.gW), out(v.gb), bounds, out(v.C), net.n), info
