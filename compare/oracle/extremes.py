"""The extreme draws: parameters and data at the ends of the dtype's range, where the range-careful code of a
backend (scaled products, overflow fallbacks, "beyond range" refusals) is the code that runs.

Each tensor (every W^l, b^l, x and y) takes one *regime*, its entries sign * f * 2^E with f uniform in [1, 2):
``unit`` (E near 0), ``saturating`` (E 3..9: |z| of tens to thousands, sigma' tiny or 0), ``huge`` (E from half
the exponent range up to the largest: products overflow, z beyond range), ``tiny`` (down into the subnormals),
``mixed`` (every entry its own E over the whole range: rows with huge and small entries side by side), and for
b ``zero``. Targets y are ``unit`` (the usual [0, 1]) or up to the largest finite value, so (a - y)^2 overflows
with the cost in range or beyond it (|y| ~ 1e154 in float64). This module draws values only; ``cases`` says which
case is extreme and ``longdouble`` gives the reference there.
"""

from __future__ import annotations

import numpy as np

MAX_WIDTH, MAX_DEPTH, MAX_BATCH = 16, 4, 8     # extreme cases stay small: their reference runs in long double

_REGIMES = {
    "x": (("unit", 0.3), ("huge", 0.25), ("tiny", 0.15), ("mixed", 0.3)),
    "W": (("unit", 0.25), ("saturating", 0.25), ("huge", 0.2), ("tiny", 0.1), ("mixed", 0.2)),
    "b": (("unit", 0.45), ("huge", 0.2), ("tiny", 0.1), ("zero", 0.1), ("mixed", 0.15)),
    "y": (("unit", 0.3), ("huge", 0.5), ("tiny", 0.05), ("mixed", 0.15)),
}


def _tensor(rng: np.random.Generator, shape: tuple[int, ...], role: str, dtype: np.dtype) -> np.ndarray:
    """One tensor of ``shape`` in a regime drawn for ``role`` (see the module docstring), in ``dtype``."""
    fi = np.finfo(dtype)
    top, bottom = fi.maxexp - 1, fi.minexp - fi.nmant          # largest exponent of a finite f * 2^E; subnormals
    names, p = zip(*_REGIMES[role])
    regime = names[int(rng.choice(len(names), p=np.array(p) / sum(p)))]
    if regime == "zero":
        return np.zeros(shape, dtype)
    if regime == "unit" and role == "y":
        return rng.random(shape).astype(dtype)
    if regime == "unit":
        E = rng.integers(-3, 2, size=shape)
    elif regime == "saturating":
        E = rng.integers(3, 10, size=shape)
    elif regime == "huge":
        lo = int(rng.integers(top // 2 - 16, top))
        E = rng.integers(lo, top + 1, size=shape) if rng.random() < 0.5 else np.full(shape, lo)
    elif regime == "tiny":
        E = rng.integers(bottom, fi.minexp + 8, size=shape)
    else:
        E = rng.integers(bottom, top + 1, size=shape)
    f = rng.uniform(1.0, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    with np.errstate(under="ignore"):
        return np.ldexp(f, E).astype(dtype)


def materialise(sizes: tuple[int, ...], batch: int, dtype: str, seed: int):
    """``(params, x, y)`` of an extreme case, in ``dtype``; the same arguments always give the same arrays."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    params = [(_tensor(rng, (n, n_prev), "W", dt), _tensor(rng, (n,), "b", dt))
              for n_prev, n in zip(sizes[:-1], sizes[1:])]
    lead = (batch,) if batch else ()
    x = _tensor(rng, lead + (sizes[0],), "x", dt)
    y = _tensor(rng, lead + (sizes[-1],), "y", dt)
    return params, x, y
