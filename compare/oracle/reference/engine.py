"""The reference side of the oracle: ``jax.grad`` of the seed's cost (one function, ``_cost``) and its
rounding-error bound, for many cases at once, or for one case beyond the padded engine on its own shapes.

Compiling ``jax.grad`` for every new architecture costs about a third of a second, so here every case is
zero-padded to one shape instead, MAX_DEPTH layers of P x P (P the narrowest of ``limits.WIDTHS`` that fits)
and a batch of MAX_BATCH rows, and CHUNK cases go through one jitted, vmapped call, so each (dtype, P)
compiles once (``jaxcache`` keeps the compilations between runs):

- a padded unit has zero weights in and out and zero bias: its z is 0 and, because its outgoing weights
  are 0, it adds exactly nothing to the next layer's z; padded output units have a = y = 1/2, so they add
  nothing to C;
- a padded example (row) has weight 0 in the batch mean, so it adds nothing to C or to any gradient;
- a padded layer (beyond the case's depth L) is skipped: a^l = where(active_l, sigma(z^l), a^{l-1}).

So the padded cost equals the case's cost and its ``jax.grad`` on the real entries is the case's gradient
(tests/test_properties.py checks it against ``autodiff.grad``); the padded entries are ignored. The bound
beside each element is ``compare.oracle.reference.bound``'s.

A case beyond the padded engine's limits (``unpadded_needed``) gets the same cost's ``jax.grad`` compiled for its own
shapes, one case per call (jit compiles once per shape), with the same per-element bound (``bound.bound_layers``
on K = 1 lists), read through the same ``layer(k, l)`` and ``cost(k)`` (``UnpaddedReference``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..cases.limits import CHUNK, MAX_BATCH, MAX_DEPTH, MAX_WIDTH, WIDTHS
from . import jaxcache
from .bound import UNIT_ROUNDOFF, Bounds, Layers, Net, Values, bound, bound_layers, tolerance

jax = jaxcache.import_jax()       # with the persistent compilation cache on (jaxcache)
jnp = jax.numpy

DEPTH, BATCH = MAX_DEPTH, MAX_BATCH


def width_bucket(sizes) -> int:
    """The padded width a case with these layer sizes needs."""
    return next(w for w in WIDTHS if max(sizes) <= w)


class LayerReference(NamedTuple):
    """One case's layer l: the reference gradients and their tolerances, in the layer's own shapes (views)."""

    W: np.ndarray
    b: np.ndarray
    tol_W: np.ndarray
    tol_b: np.ndarray


class Reference(NamedTuple):
    """The reference for a chunk of cases: ``jax.grad`` values (case dtype) and their bounds (float64).

    ``grad_W`` (K, D, P, P) and ``grad_b`` (K, D, P) hold case k's layer l (0-based) in
    ``[k, l, :n_l, :n_{l-1}]``; ``n`` (K, D + 1) has the real widths; read them through ``layer(k, l)`` and
    ``cost(k)``."""

    grad_W: np.ndarray
    grad_b: np.ndarray
    bounds: Bounds
    C: np.ndarray
    n: np.ndarray

    def layer(self, k: int, l: int) -> LayerReference:
        """Case k's layer l (0-based, i.e. the seed's layer l + 1): values and tolerances."""
        n, n_in = int(self.n[k, l + 1]), int(self.n[k, l])
        return LayerReference(self.grad_W[k, l, :n, :n_in], self.grad_b[k, l, :n],
                              tolerance(self.bounds.W[k, l, :n, :n_in]), tolerance(self.bounds.b[k, l, :n]))

    def cost(self, k: int) -> tuple[float, float]:
        """Case k's cost and its tolerance."""
        return float(self.C[k]), float(tolerance(self.bounds.C[k]))


def _cost(params, eps, X, Y, row_w, active, n_L):
    """The seed's cost C of one case, with the forward values the bound needs as aux: ``params`` [(W, b)],
    ``eps`` a zero added to every z^l (its derivative is delta^l), X (m, n_0), Y (m, n_L). Padded (``row_w`` the
    rows' weights in the batch mean, ``active`` which layers are real) or, with both None, on the case's own
    shapes (the mean over its rows, every layer real)."""
    a, acts, zs = X, [X], []
    for l, (W, b) in enumerate(params):
        z = a @ W.T + b + eps[l]
        a = jax.nn.sigmoid(z) if active is None else jnp.where(active[l], jax.nn.sigmoid(z), a)
        acts.append(a)
        zs.append(z)
    per_example = 0.5 * jnp.sum((a - Y) ** 2, axis=-1) / n_L
    return (jnp.mean(per_example) if row_w is None else jnp.sum(row_w * per_example)), (acts, zs)


def _case_values(Ws, bs, X, Y, row_w, active, n_L):
    """jax.grad for ONE padded case (vmapped over a chunk below), with the values the bound needs.

    Ws (DEPTH, P, P), bs (DEPTH, P), X (BATCH, P), Y (BATCH, P), row_w (BATCH,): 1/m for the m real rows and
    0 for padding, active (DEPTH,) bool, n_L the real output width; all in the case's dtype.

    jax.grad also differentiates with respect to a zero added to every z^l: that derivative is delta^l, so the
    bound reuses jax's own forward values (returned as aux) and deltas instead of recomputing them.
    """
    params = [(Ws[l], bs[l]) for l in range(DEPTH)]
    eps = jnp.zeros((DEPTH,) + X.shape, X.dtype)
    (C, (acts, zs)), (g, deltas) = jax.value_and_grad(_cost, argnums=(0, 1), has_aux=True)(
        params, eps, X, Y, row_w, active, n_L)
    return (jnp.stack([gW for gW, _ in g]), jnp.stack([gb for _, gb in g]), C, jnp.stack(acts), jnp.stack(zs),
            deltas)


_values = jax.jit(jax.vmap(_case_values))


class Padded(NamedTuple):
    """Up to CHUNK cases zero-padded into the engine's arrays (see ``pack``)."""

    Ws: np.ndarray
    bs: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    row_w: np.ndarray
    active: np.ndarray
    n: np.ndarray


def pack(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str) -> Padded:
    """Zero-pad up to CHUNK materialised cases ``(params, x, y)`` of one dtype: Ws (CHUNK, DEPTH, P, P), bs, X, Y,
    row_w, active, n (real widths n_0..n_L, then 1s), with P the narrowest of WIDTHS that fits every case.
    Unused slots hold a 1-1 network (computed and ignored).
    """
    K = CHUNK
    P = max(width_bucket([len(p[-1][1])] + [W.shape[1] for W, _ in p]) for p, _, _ in cases)
    Ws = np.zeros((K, DEPTH, P, P), dtype)
    bs = np.zeros((K, DEPTH, P), dtype)
    X = np.zeros((K, BATCH, P), dtype)
    Y = np.full((K, BATCH, P), 0.5, dtype)
    row_w = np.zeros((K, BATCH), dtype)
    active = np.zeros((K, DEPTH), bool)
    n = np.ones((K, DEPTH + 1), np.int64)
    row_w[len(cases):, 0] = 1.0
    active[len(cases):, 0] = True
    for k, (params, x, y) in enumerate(cases):
        x2, y2 = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
        m = x2.shape[0]
        X[k, :m, : x2.shape[1]] = x2
        Y[k, :m, : y2.shape[1]] = y2
        row_w[k, :m] = 1.0 / m
        n[k, 0] = x2.shape[1]
        for l, (W, b) in enumerate(params):
            Ws[k, l, : W.shape[0], : W.shape[1]] = W
            bs[k, l, : b.shape[0]] = b
            active[k, l] = True
            n[k, l + 1] = W.shape[0]
    return Padded(Ws, bs, X, Y, row_w, active, n)


class PaddedChunk(NamedTuple):
    """A chunk whose jax.grad is running (``dispatch``); ``collect`` turns it into a ``Reference``."""

    dtype: str
    cases: int
    padded: Padded
    out: tuple


def dispatch(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str) -> PaddedChunk:
    """Start the jax.grad of up to CHUNK cases of one dtype; JAX runs it in the background (its dispatch is
    asynchronous) while the caller does other work."""
    if len(cases) > CHUNK:
        raise ValueError(f"at most {CHUNK} cases per call, got {len(cases)}")
    p = pack(cases, dtype)
    L = p.active.sum(axis=1)
    n_L = p.n[np.arange(CHUNK), L].astype(dtype)
    with jax.enable_x64(True):
        out = _values(p.Ws, p.bs, p.X, p.Y, p.row_w, p.active, n_L)
    return PaddedChunk(dtype, len(cases), p, out)


def collect(handle: PaddedChunk) -> Reference:
    """The reference of a dispatched chunk, as NumPy arrays, cut down to the chunk's real cases, deepest case
    and widest layer. The bound runs on groups of cases of like size (``size_groups``), each cut to its own
    deepest case, widest layer and largest batch: the padding beyond them is all zeros and pass-through, and a
    chunk's cases differ in size so much that bounding them all at the chunk's largest did seven times the work.
    """
    K, p = handle.cases, handle.padded
    depth, width, rows = p.active[:K].sum(axis=1), p.n[:K].max(axis=1), (p.row_w[:K] > 0).sum(axis=1)
    D, P = int(depth.max()), int(width.max())
    gW, gb, C, acts, zs, deltas = (np.asarray(o) for o in handle.out)
    u = UNIT_ROUNDOFF[handle.dtype]
    B_W, B_b, B_C = np.zeros((K, D, P, P)), np.zeros((K, D, P)), np.zeros(K)
    for idx in size_groups(depth, width, rows):
        d, w, m = int(depth[idx].max()), int(width[idx].max()), int(rows[idx].max())
        net = Net(p.Ws[idx, :d, :w, :w].astype(np.float64), p.bs[idx, :d, :w].astype(np.float64),
                  p.Y[idx, :m, :w].astype(np.float64), p.row_w[idx, :m].astype(np.float64), p.active[idx, :d],
                  p.n[idx, :d + 1])
        values = Values(gW[idx, :d, :w, :w], gb[idx, :d, :w], C[idx], acts[idx, :d + 1, :m, :w],
                        zs[idx, :d, :m, :w], deltas[idx, :d, :m, :w])
        with np.errstate(invalid="ignore", over="ignore"):     # a case from non-finite parameters (an epoch
            b = bound(net, values, u)                          # going on from a candidate's inf): NaN, failing
        B_W[idx, :d, :w, :w], B_b[idx, :d, :w], B_C[idx] = b.W, b.b, b.C
    return Reference(gW[:K, :D, :P, :P], gb[:K, :D, :P], Bounds(B_W, B_b, B_C), C[:K].astype(np.float64),
                     p.n[:K, :D + 1])


# The bound's cost, measured (``bound`` timed on chunks cut to 1-64 cases, depth 1-6, width 4-64, batch 1-16):
# per case and layer about P^2 (M + ROW_COST) units of ~0.45 ns, and per call LAYER_COST units a layer (NumPy calls).
ROW_COST, LAYER_COST = 17, 120_000


def size_groups(depth: np.ndarray, width: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """Case indices split into groups whose bound costs least in all: a group is bounded at its largest depth D,
    width P and batch M, costing D (cases x P^2 (M + ROW_COST) + LAYER_COST). Cases sorted by their own cost,
    then the best split into runs of that order (dynamic programming over the K + 1 cut points)."""
    depth, width, rows = depth.tolist(), width.tolist(), rows.tolist()
    order = sorted(range(len(depth)), key=lambda k: depth[k] * width[k] ** 2 * (rows[k] + ROW_COST))
    dd, ww, mm = [depth[k] for k in order], [width[k] for k in order], [rows[k] for k in order]
    K = len(order)
    best, cut = [0] * (K + 1), [0] * (K + 1)
    for j in range(1, K + 1):
        d = m = w = 0
        best[j] = -1
        for i in range(j - 1, -1, -1):       # the group order[i:j], grown backwards
            if dd[i] > d:
                d = dd[i]
            if mm[i] > m:
                m = mm[i]
            if ww[i] > w:
                w = ww[i]
            total = best[i] + d * ((j - i) * w * w * (m + ROW_COST) + LAYER_COST)
            if best[j] < 0 or total < best[j]:
                best[j], cut[j] = total, i
    groups, j = [], K
    while j > 0:
        groups.append(np.array(order[cut[j]:j]))
        j = cut[j]
    return groups[::-1]


def chunk_reference(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str) -> Reference:
    """``collect(dispatch(cases, dtype))``: the reference for up to CHUNK cases of one dtype."""
    return collect(dispatch(cases, dtype))


# ---- cases beyond the padded engine, on their own shapes ------------------------------------------------------

def unpadded_needed(sizes, batch: int) -> bool:
    """Whether a case this size is beyond the padded engine."""
    return len(sizes) - 1 > MAX_DEPTH or max(sizes) > MAX_WIDTH or batch > MAX_BATCH


def _own_values(params, X, Y):
    """jax.grad of C for one case on its own shapes, X (m, n_0), Y (m, n_L), with a, z and delta for the bound."""
    eps = [jnp.zeros((X.shape[0], W.shape[0]), X.dtype) for W, _ in params]
    (C, (acts, zs)), (g, deltas) = jax.value_and_grad(_cost, argnums=(0, 1), has_aux=True)(
        params, eps, X, Y, None, None, Y.shape[-1])
    return g, C, acts, zs, deltas


_own = jax.jit(_own_values)


class CaseReference(NamedTuple):
    """One case's reference: per layer ``(W, b, tol_W, tol_b)`` and the cost with its tolerance."""

    layers: list[LayerReference]
    C: float
    tol_C: float


class UnpaddedCases(NamedTuple):
    """Cases whose jax.grad is running (``dispatch_unpadded``)."""

    dtype: str
    cases: list
    out: list


class UnpaddedReference(NamedTuple):
    """References of a list of unpadded cases, read like ``engine.Reference``."""

    cases: list[CaseReference]

    def layer(self, k: int, l: int) -> LayerReference:
        return self.cases[k].layers[l]

    def cost(self, k: int) -> tuple[float, float]:
        return self.cases[k].C, self.cases[k].tol_C


def dispatch_unpadded(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str) -> UnpaddedCases:
    """Start jax.grad of each materialised case ``(params, x, y)`` (JAX runs it in the background)."""
    out = []
    with jax.enable_x64(True):
        for params, x, y in cases:
            X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
            out.append(_own([(W, b) for W, b in params], X, Y))   # NumPy arrays: jit converts them in its call
    return UnpaddedCases(dtype, cases, out)


def collect_unpadded(handle: UnpaddedCases) -> UnpaddedReference:
    """The values and bounds of dispatched cases."""
    f64 = np.float64
    refs = []
    for (params, _, y), (g, C, acts, zs, deltas) in zip(handle.cases, handle.out):
        Y = np.asarray(y, f64).reshape(-1, params[-1][0].shape[0])
        m = Y.shape[0]
        gW = [np.asarray(gw)[None] for gw, _ in g]
        gb = [np.asarray(gbl)[None] for _, gbl in g]
        layers = Layers([np.asarray(W, f64)[None] for W, _ in params], [np.asarray(b, f64)[None] for _, b in params],
                        [np.asarray(a)[None] for a in acts], [np.asarray(z)[None] for z in zs],
                        [np.asarray(d)[None] for d in deltas], gW, gb)
        n = np.array([[params[0][0].shape[1]] + [W.shape[0] for W, _ in params]])
        C = np.asarray(C)
        B_W, B_b, e_C = bound_layers(layers, Y[None], np.full((1, m), 1.0 / m), np.ones((1, len(params)), bool), n,
                                     C[None], UNIT_ROUNDOFF[handle.dtype])
        layer_refs = [LayerReference(gW[l][0], gb[l][0], tolerance(B_W[l][0]), tolerance(B_b[l][0]))
                      for l in range(len(params))]
        refs.append(CaseReference(layer_refs, float(C), float(tolerance(e_C[0]))))
    return UnpaddedReference(refs)
