"""The reference for cases beyond the padded engine's limits (``limits``): ``jax.grad`` of the seed's cost on the
case's own shapes, one case per call (jit compiles once per shape), with the same per-element bound
(``bound.bound_layers`` on K = 1 lists). Read through the same ``layer(k, l)`` and ``cost(k)`` as ``engine``'s.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..cases.limits import MAX_BATCH, MAX_DEPTH, MAX_WIDTH
from . import jaxcache
from .bound import UNIT_ROUNDOFF, Layers, bound_layers, tolerance
from .engine import LayerReference

jax = jaxcache.import_jax()       # with the persistent compilation cache on (jaxcache)
jnp = jax.numpy


def needed(sizes, batch: int) -> bool:
    """Whether a case this size is beyond the padded engine."""
    return len(sizes) - 1 > MAX_DEPTH or max(sizes) > MAX_WIDTH or batch > MAX_BATCH


def _case_values(params, X, Y):
    """jax.grad of C for one case, X (m, n_0), Y (m, n_L), with a, z and delta (the derivative by a zero added to
    each z^l) for the bound."""
    def cost(params, eps):
        a, acts, zs = X, [X], []
        for (W, b), e in zip(params, eps):
            z = a @ W.T + b + e
            a = jax.nn.sigmoid(z)
            acts.append(a)
            zs.append(z)
        return jnp.mean(0.5 * jnp.sum((a - Y) ** 2, axis=-1) / Y.shape[-1]), (acts, zs)

    eps = [jnp.zeros((X.shape[0], W.shape[0]), X.dtype) for W, _ in params]
    (C, (acts, zs)), (g, deltas) = jax.value_and_grad(cost, argnums=(0, 1), has_aux=True)(params, eps)
    return g, C, acts, zs, deltas


_values = jax.jit(_case_values)


class CaseReference(NamedTuple):
    """One case's reference: per layer ``(W, b, tol_W, tol_b)`` and the cost with its tolerance."""

    layers: list[LayerReference]
    C: float
    tol_C: float


class UnpaddedCases(NamedTuple):
    """Cases whose jax.grad is running (``dispatch``)."""

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


def dispatch(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str) -> UnpaddedCases:
    """Start jax.grad of each materialised case ``(params, x, y)`` (JAX runs it in the background)."""
    out = []
    with jax.enable_x64(True):
        for params, x, y in cases:
            X, Y = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
            out.append(_values([(jnp.asarray(W), jnp.asarray(b)) for W, b in params], jnp.asarray(X),
                               jnp.asarray(Y)))
    return UnpaddedCases(dtype, cases, out)


def collect(handle: UnpaddedCases) -> UnpaddedReference:
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
