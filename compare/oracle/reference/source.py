"""The one place the oracle chooses where a chunk's reference comes from, starts it, keeps it and reads it.

Three sources, one interface (``layer(k, l)`` and ``cost(k)`` on what ``collect`` returns):

- the padded engine (``engine``): the padded, vmapped ``jax.grad`` of up to CHUNK cases in one compiled call
  (every ordinary case within ``limits``); a chunk of at most ``KEEP_CHUNK`` cases (a failing run's re-checks)
  keeps its reference by its cases, as the two sources below do;
- unpadded (``engine.dispatch_unpadded``): ``jax.grad`` compiled for a case's own shapes (cases beyond the padded
  engine's limits). Such a case costs a compilation and a bound over its own large arrays, and a failing one is
  checked again (the constant fit, the diagnosis), so its reference is kept (``KEEP_BYTES``): the reference is a
  function of the case and the bound's constants alone;
- ``longdouble``: the seed's equations in long double (extreme cases, whose values may lie beyond the dtype's
  range); computed at once, kept like an unpadded chunk's, and the only source with a ``RangeInfo``
  (``Pending.range``).

A chunk is cases of one ``group``: they compile to the same shape, so one call serves them all. The cases of a
network without biases, or without one in some layers (``Case.bare``: b = 0 there), are read ``WithoutBiases``:
those layers' grad b is not compared.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..cases.cases import Case, Kept
from . import bound, engine, longdouble
from .longdouble import RangeInfo

PADDED, UNPADDED, LONG_DOUBLE, KEPT, KEPT_CHUNK = "padded", "unpadded", "long double", "kept", "kept chunk"
KEEP_CHUNK = 8             # a padded chunk of at most this many cases keeps its reference: the re-checks of a
#                            failing run (the layout probe's up to 168 layouts, the constant fit, the diagnosis)
#                            run the same few cases again, each time through a full padded engine call

KEEP_BYTES = 256 << 20     # bytes of kept references of cases beyond the padded engine, at most
_kept = Kept(KEEP_BYTES)    # (Case, the bound's constants) -> engine.CaseReference; a long-double chunk's too


def group(c: Case) -> tuple:
    """What a case compiles for: cases of one group share a chunk (dtype and padded width, or extreme, or an
    unpadded case's own shape)."""
    if engine.unpadded_needed(c.sizes, c.batch):
        return (c.dtype, UNPADDED, c.sizes, c.batch)
    return (c.dtype, engine.width_bucket(c.sizes), c.extreme)


class Pending(NamedTuple):
    """A chunk's reference on its way (``dispatch``): ``kind`` the source, ``handle`` what it returned, ``range``
    the long-double source's ``RangeInfo`` (None for the others, whose cases are within range), ``cases`` the
    chunk's cases when its reference is to be kept (else None)."""

    kind: str
    handle: object
    range: RangeInfo | None
    cases: list[Case] | None = None
    bare: tuple[tuple[int, ...], ...] = ()     # each case's layers without a bias (``Case.bare``); () none


class WithoutBiases(NamedTuple):
    """A reference read for a network without biases in some or all layers (``layouts`` reads such a layer's
    grad b as 0): there b is 0 within an infinite tolerance, so no comparison, constant fit or reproduction
    reads a bias; the rest and the cost are ``inner``'s. ``bare[k]``: case k's layers without a bias."""

    inner: object
    bare: tuple[tuple[int, ...], ...]

    def layer(self, k: int, l: int) -> engine.LayerReference:
        r = self.inner.layer(k, l)
        if l not in self.bare[k]:
            return r
        return r._replace(b=np.zeros_like(r.b), tol_b=np.full_like(r.tol_b, np.inf))

    def cost(self, k: int) -> tuple[float, float]:
        return self.inner.cost(k)


def _key(case: Case) -> tuple:
    """What a kept reference depends on: the case, and the bound's constants (a measurement may swap them)."""
    return case, bound.SIGMA_FLOOR, bound.SIGMA_RELATIVE


def _chunk_key(kind: str, cases: list[Case]) -> tuple:
    """What a kept chunk's reference (long double, or a small padded one) depends on: its source and its cases."""
    return kind, tuple(_key(c) for c in cases)


def _arrays(value) -> list[np.ndarray]:
    """The arrays a kept reference holds (its fields and their items, in any depth), for ``Kept``'s byte count."""
    if isinstance(value, np.ndarray):
        return [value]
    return [a for part in value for a in _arrays(part)] if isinstance(value, (tuple, list)) else []


def dispatch(mats: list, dtype: str, extreme: bool = False, cases: list[Case] | None = None,
             bare: tuple[int, ...] = ()) -> Pending:
    """Start the reference of one group's materialised cases ``(params, x, y)``: JAX runs it in the background
    while the caller goes on (the long-double reference is computed here, at once). ``cases``, when given, are the
    ``Case``s the arrays were made from: an unpadded or long-double chunk's reference is then read from, or kept
    for, them (a failing run checks its cases again: the constant fit, the layout probe, the diagnosis), and
    their ``Case.bare`` says which layers have no bias; without ``cases``, ``bare`` says so for every one."""
    per_case = tuple(c.bare for c in cases) if cases else (tuple(bare),) * len(mats)
    return _dispatch(mats, dtype, extreme, cases)._replace(bare=per_case if any(per_case) else ())


def _dispatch(mats: list, dtype: str, extreme: bool, cases: list[Case] | None) -> Pending:
    if extreme:
        key = None if cases is None else _chunk_key(LONG_DOUBLE, cases)
        kept = None if key is None else _kept.get(key)
        if kept is None:
            kept = longdouble.reference(mats, dtype)
            if key is not None:
                _kept.put(key, kept, _arrays(kept))
        return Pending(LONG_DOUBLE, *kept)
    params, x, _ = mats[0]
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
    if not engine.unpadded_needed(sizes, x.shape[0] if x.ndim == 2 else 0):
        if cases is None or len(cases) > KEEP_CHUNK:
            return Pending(PADDED, engine.dispatch(mats, dtype), None)
        kept = _kept.get(_chunk_key(PADDED, cases))
        if kept is not None:
            return Pending(KEPT_CHUNK, kept, None)
        return Pending(PADDED, engine.dispatch(mats, dtype), None, cases)
    if cases is not None:
        kept = [_kept.get(_key(c)) for c in cases]
        if all(k is not None for k in kept):
            return Pending(KEPT, kept, None)
    return Pending(UNPADDED, engine.dispatch_unpadded(mats, dtype), None, cases)


def collect(p: Pending):
    """The reference of a dispatched chunk (``engine.Reference`` or ``engine.UnpaddedReference``, read alike;
    ``WithoutBiases`` around it for a network without biases in some layer)."""
    ref = _collect(p)
    return WithoutBiases(ref, p.bare) if p.bare else ref


def _collect(p: Pending):
    if p.kind in (LONG_DOUBLE, KEPT_CHUNK):
        return p.handle
    if p.kind == PADDED:
        ref = engine.collect(p.handle)
        if p.cases is not None:
            _kept.put(_chunk_key(PADDED, p.cases), ref, _arrays(ref))
        return ref
    if p.kind == KEPT:
        return engine.UnpaddedReference(p.handle)
    ref = engine.collect_unpadded(p.handle)
    for case, r in zip(p.cases or (), ref.cases):
        _kept.put(_key(case), r, _arrays(r))
    return ref


def reference(mats: list, dtype: str, extreme: bool = False, bare: tuple[int, ...] = ()):
    """``collect(dispatch(...))``: the reference of one group's cases, at once."""
    return collect(dispatch(mats, dtype, extreme, bare=bare))
