"""The extreme draws: parameters and data at the ends of the dtype's range, where the range-careful code of a
backend (scaled products, overflow fallbacks, "beyond range" refusals) is the code that runs.

Each tensor (every W^l, b^l, x and y) takes one *regime*, its entries sign * f * 2^E with f uniform in [1, 2):
``unit`` (E near 0), ``saturating`` (E 3..9: |z| of tens to thousands, sigma' tiny or 0), ``huge`` (E from half
the exponent range up to the largest: products overflow, z beyond range), ``tiny`` (down into the subnormals),
``mixed`` (every entry its own E over the whole range: rows with huge and small entries side by side),
``large`` for W (E 8..63), ``rows`` for W (each row unit-sized or near the largest: z overflows in some rows
and is moderate in others), ``edge`` for y (|y| ~ sqrt(max): the cost just in or just beyond range),
and for b ``zero`` and ``dead`` (far below 0: the layer's units saturate at 0).
Targets y are ``unit`` (the usual [0, 1]) or up to the largest finite value, so (a - y)^2 overflows
with the cost in range or beyond it (|y| ~ 1e154 in float64). This module draws values only; ``cases`` says which
case is extreme and ``longdouble`` gives the reference there.
"""

from __future__ import annotations

import numpy as np

MAX_WIDTH, MAX_DEPTH, MAX_BATCH = 16, 4, 8     # extreme cases stay small: their reference runs in long double

_REGIMES = {
    "x": (("unit", 0.3), ("huge", 0.25), ("tiny", 0.15), ("mixed", 0.3)),
    "W": (("unit", 0.15), ("saturating", 0.15), ("large", 0.15), ("huge", 0.15), ("rows", 0.15), ("tiny", 0.1),
          ("mixed", 0.15)),
    "b": (("unit", 0.4), ("huge", 0.15), ("tiny", 0.1), ("zero", 0.1), ("dead", 0.1), ("mixed", 0.15)),
    "y": (("unit", 0.25), ("huge", 0.3), ("edge", 0.25), ("tiny", 0.05), ("mixed", 0.15)),
}


def _tensor(rng: np.random.Generator, shape: tuple[int, ...], role: str, dtype: np.dtype,
            regime: str | None = None) -> np.ndarray:
    """One tensor of ``shape`` in ``regime`` (default: one drawn for ``role``; see the module docstring)."""
    fi = np.finfo(dtype)
    top, bottom = fi.maxexp - 1, fi.minexp - fi.nmant          # largest exponent of a finite f * 2^E; subnormals
    if regime is None:
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
    elif regime == "dead":                                   # z^l far below 0 whatever W a is: a = sigma(z) ~ e^z
        return -np.ldexp(rng.uniform(1.0, 2.0, size=shape), rng.integers(6, 13, size=shape)).astype(dtype)
    elif regime == "rows":                                   # each row unit-sized or near the largest
        E = np.where(rng.random(shape[:1] + (1,) * (len(shape) - 1)) < 0.5, rng.integers(-2, 3, size=shape),
                     rng.integers(top - 3, top + 1, size=shape))
    elif regime == "edge":                                   # |y| ~ sqrt(max): C = y^2 / 2 just in or out of range
        E = np.full(shape, int(rng.integers(top // 2, top // 2 + 2)))
    elif regime == "large":
        E = np.full(shape, int(rng.integers(8, min(64, top // 2))))
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
    """``(params, x, y)`` of an extreme case, in ``dtype``; the same arguments always give the same arrays.

    Four in ten deep cases follow one template, the case a backend's careful backward pass exists for: huge y,
    large W^L, a moderate output z^L, and below it a layer of dead units (b^(L-1) far below 0, so sigma'(z^(L-1))
    is tiny, or 0 once rounded) or of live ones: the cotangent (W^L)^T delta^L overflows, and delta^(L-1), that
    times sigma'(z^(L-1)), and every gradient may be in range (dead units) or beyond it (live ones)."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    L = len(sizes) - 1
    regimes: dict[tuple[str, int], str] = {}
    if L >= 2 and rng.random() < 0.4:                          # the overflowing cotangent (see materialise)
        regimes = {("W", L - 1): "unit", ("b", L - 1): "dead" if rng.random() < 0.6 else "unit",
                   ("W", L): "large", ("b", L): "unit", ("y", 0): "huge", ("x", 0): "unit"}
    params = [(_tensor(rng, (n, n_prev), "W", dt, regimes.get(("W", l))),
               _tensor(rng, (n,), "b", dt, regimes.get(("b", l))))
              for l, (n_prev, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1)]
    lead = (batch,) if batch else ()
    x = _tensor(rng, lead + (sizes[0],), "x", dt, regimes.get(("x", 0)))
    y = _tensor(rng, lead + (sizes[-1],), "y", dt, regimes.get(("y", 0)))
    return params, x, y
