"""The default suite's input-form calls (``compare.oracle.checks.inputs``): manual passes them, and each slip in
argument handling that the gradient lines cannot see fails them."""

from __future__ import annotations

import types

import numpy as np
import pytest

import manual
from compare.oracle.cases.cases import draw_cases
from compare.oracle.checks.inputs import check_input_forms
from compare.oracle.sandbox.isolation import warnings_raised

DRAWN = draw_cases(40, 0)
CASES = [c for c in DRAWN if c.batch == 0][:4] + [c for c in DRAWN if c.batch > 0][:4]
NAMES = ("sigmoid", "forward", "cost", "grad", "backprop")


def _backend(**replaced):
    return types.SimpleNamespace(**{f: replaced.get(f, warnings_raised(getattr(manual, f))) for f in NAMES})


def test_manual_passes_every_input_form():
    """manual's functions, warnings raised: every call on floats, lists, ints, 0-d arrays and scalars agrees with
    the array call, lists of floats are refused for float32, and backprop refuses every batch."""
    report = check_input_forms(_backend(), CASES, name="manual")
    assert report.ok and report.cases >= 30, report.failures
    assert {c.dtype for c in CASES} == {"float32", "float64"} and {c.batch > 0 for c in CASES} == {True, False}


def _scalar_for_0d(z):
    out = manual.sigmoid(z)
    return out[()] if out.ndim == 0 else out


def _arrays_only(fn):
    def call(params, *xy):
        if any(isinstance(v, list) for v in xy):
            xy = tuple(v.upper() for v in xy)       # what code without the conversion does: AttributeError
        return fn(params, *xy)
    return call


def _lists_as_float32(fn):
    def call(params, *xy):
        dtype = params[0][0].dtype
        return fn(params, *(np.asarray(v, dtype) if isinstance(v, list) else v for v in xy))
    return call


def _batch_accepted(params, x, y):
    return manual.grad(params, x, y)


@pytest.mark.parametrize("slip, replaced", [
    ("0-d result made a scalar", {"sigmoid": _scalar_for_0d}),
    ("Python float refused", {"sigmoid": lambda z: manual.sigmoid(z) if isinstance(z, np.ndarray) else z.upper()}),
    ("forward without list conversion", {"forward": _arrays_only(manual.forward)}),
    ("grad without list conversion", {"grad": _arrays_only(manual.grad)}),
    ("lists silently made float32", {"cost": _lists_as_float32(manual.cost)}),
    ("backprop accepts a batch", {"backprop": _batch_accepted}),
])
def test_an_argument_handling_slip_fails(slip, replaced):
    """Each slip the gradient lines cannot see (they pass arrays of the network's dtype only) fails a call."""
    report = check_input_forms(_backend(**replaced), CASES, name=slip)
    assert not report.ok and report.failed >= 1
