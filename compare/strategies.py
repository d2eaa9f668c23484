"""Hypothesis strategies for your own property tests: ``from compare.strategies import cases``.

The strategy lives in ``compare.oracle.cases.strategies``; this module is its public name.
"""

from .oracle.cases.strategies import cases, widths

__all__ = ["cases", "widths"]
