"""How much of a parametrised product a run takes: the ``fast`` profile (every run of the suite, CI) takes a
set that covers every pair of values, the ``thorough`` one (``HYPOTHESIS_PROFILE=thorough``, as the Hypothesis
profiles in ``conftest.py``) every combination."""

from __future__ import annotations

import itertools
import os

import pytest

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE", "fast") == "thorough"


def _parts(value):
    """(values, marks) of a plain value or a ``pytest.param``."""
    if isinstance(value, type(pytest.param(None))):
        return tuple(value.values), tuple(value.marks)
    return (value,), ()


def pairwise(first: list, second: list, third: list) -> list:
    """``pytest.param``s over three factors: every (first, second) once, ``third`` taken in turn along them, so
    that any two values of any two factors meet in some test (len(third) <= 3 and len(second) >= len(third)).
    Under THOROUGH, the whole product."""
    if THOROUGH:
        chosen = list(itertools.product(first, second, third))
    else:
        chosen = [(a, b, third[(i + j) % len(third)]) for i, a in enumerate(first) for j, b in enumerate(second)]
    out = []
    for combo in chosen:
        values, marks = (), ()
        for v in combo:
            vs, ms = _parts(v)
            values, marks = values + vs, marks + ms
        out.append(pytest.param(*values, marks=marks))
    return out
