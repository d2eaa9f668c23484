"""Case features, for lines such as "only cases with a batch fail"."""

from __future__ import annotations

from collections.abc import Callable

from .cases import Case
from .results import Result

FEATURES: dict[str, Callable[[Case], bool]] = {
    "a single 1-D example": lambda c: c.batch == 0,
    "a batch (2-D x)": lambda c: c.batch >= 1,
    "a batch of m > 1 examples": lambda c: c.batch > 1,
    "a layer of width 1": lambda c: 1 in c.sizes,
    "no layer of width 1": lambda c: 1 not in c.sizes,
    "n_L > 1 (several output units)": lambda c: c.sizes[-1] > 1,
    "depth >= 2": lambda c: c.depth >= 2,
    "depth >= 3": lambda c: c.depth >= 3,
    "a layer wider than 32": lambda c: max(c.sizes) > 32,
    "a square layer (n_l == n_{l-1})": lambda c: any(a == b for a, b in zip(c.sizes, c.sizes[1:])),
    "no square layer": lambda c: not any(a == b for a, b in zip(c.sizes, c.sizes[1:])),
    "n_0 != n_L": lambda c: c.sizes[0] != c.sizes[-1],
    "weight scale >= 2 (saturated units)": lambda c: c.scale >= 2,
    "float32": lambda c: c.dtype == "float32",
    "float64": lambda c: c.dtype == "float64",
}


def feature_counts(results: list[Result]) -> dict[str, tuple[int, int]]:
    """For each feature: (failing cases that have it, cases that have it)."""
    counts = {}
    for name, has in FEATURES.items():
        with_it = [r.failure is not None for r in results if has(r.case)]
        counts[name] = (sum(with_it), len(with_it))
    return counts
