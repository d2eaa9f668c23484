"""The one place the oracle chooses where a chunk's reference comes from, and starts it.

Three sources, one interface (``layer(k, l)`` and ``cost(k)`` on what ``collect`` returns):

- ``engine``: the padded, vmapped ``jax.grad`` of up to CHUNK cases in one compiled call (every ordinary case
  within ``limits``);
- ``unpadded``: ``jax.grad`` compiled for a case's own shapes (cases beyond the padded engine's limits);
- ``longdouble``: the seed's equations in long double (extreme cases, whose values may lie beyond the dtype's
  range); computed at once, and the only source with a ``RangeInfo`` (``Pending.range``).

A chunk is cases of one ``group``: they compile to the same shape, so one call serves them all.
"""

from __future__ import annotations

from typing import NamedTuple

from ..cases.cases import Case
from . import engine, longdouble, unpadded
from .longdouble import RangeInfo

PADDED, UNPADDED, LONG_DOUBLE = "padded", "unpadded", "long double"


def group(c: Case) -> tuple:
    """What a case compiles for: cases of one group share a chunk (dtype and padded width, or extreme, or an
    unpadded case's own shape)."""
    if unpadded.needed(c.sizes, c.batch):
        return (c.dtype, UNPADDED, c.sizes, c.batch)
    return (c.dtype, engine.width_bucket(c.sizes), c.extreme)


class Pending(NamedTuple):
    """A chunk's reference on its way (``dispatch``): ``kind`` the source, ``handle`` what it returned, ``range``
    the long-double source's ``RangeInfo`` (None for the others, whose cases are within range)."""

    kind: str
    handle: object
    range: RangeInfo | None


def dispatch(mats: list, dtype: str, extreme: bool = False) -> Pending:
    """Start the reference of one group's materialised cases ``(params, x, y)``: JAX runs it in the background
    while the caller goes on (the long-double reference is computed here, at once)."""
    if extreme:
        ref, info = longdouble.reference(mats, dtype)
        return Pending(LONG_DOUBLE, ref, info)
    params, x, _ = mats[0]
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
    if unpadded.needed(sizes, x.shape[0] if x.ndim == 2 else 0):
        return Pending(UNPADDED, unpadded.dispatch(mats, dtype), None)
    return Pending(PADDED, engine.dispatch(mats, dtype), None)


def collect(p: Pending):
    """The reference of a dispatched chunk (``engine.Reference`` or ``unpadded.UnpaddedReference``, read alike)."""
    if p.kind == LONG_DOUBLE:
        return p.handle
    return (unpadded if p.kind == UNPADDED else engine).collect(p.handle)


def reference(mats: list, dtype: str, extreme: bool = False):
    """``collect(dispatch(...))``: the reference of one group's cases, at once."""
    return collect(dispatch(mats, dtype, extreme))
