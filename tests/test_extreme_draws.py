"""The oracle's extreme cases: the long-double reference is the engine's on ordinary cases, the extreme draws
reach what they are for (overflowing z, costs and gradients beyond range, subnormals), manual passes them, and
the range rule fails a candidate that refuses in range or answers beyond it, with kind ``range``."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import manual
from compare.mutation.mutator import mutants
from compare.oracle.cases.cases import draw_cases, draw_extreme_cases, materialise, parse_case
from compare.oracle.checks.check import check_grad
from compare.oracle.reference import longdouble
from compare.oracle.reference.engine import chunk_reference as reference
from compare.oracle.verdict import ranges
from compare.oracle.verdict.results import RANGE
from manual import careful

pytestmark = pytest.mark.skipif(not longdouble.available(), reason="long double is no wider than float64 here")


def test_longdouble_reference_equals_engine_within_the_same_tolerance_on_ordinary_cases():
    """On ordinary cases the long-double reference and jax.grad agree within the tolerance, and their bounds are
    the same to a few ulps: the extreme path is the same reference and the same tolerance policy."""
    cases = [c for c in draw_cases(60, 5, ("float64",)) if max(c.sizes) <= 16][:12]
    mats = [materialise(c) for c in cases]
    ld, info = longdouble.reference(mats, "float64")
    jx = reference(mats, "float64")
    assert not info.grad_maybe.any() and not info.cost_maybe.any()
    for k, (params, _, _) in enumerate(mats):
        for l in range(len(params)):
            a, b = ld.layer(k, l), jx.layer(k, l)
            assert np.all(np.abs(a.W - b.W) <= a.tol_W) and np.all(np.abs(a.b - b.b) <= a.tol_b)
            np.testing.assert_allclose(a.tol_W, b.tol_W, rtol=1e-12)


def test_extreme_draws_reach_overflow_subnormals_and_beyond_range():
    """The draws contain z that overflow, subnormal inputs, costs and gradients beyond range, and costs that are
    in range although (a - y)^2 overflows: what the careful code of a backend is there for."""
    cases = draw_extreme_cases(200, 0, ("float64",))
    mats = [materialise(c) for c in cases]
    overflow = sub = 0
    squares_overflow = []
    for params, x, y in mats:
        with np.errstate(over="ignore", invalid="ignore"):
            a = np.atleast_2d(x)
            z = a @ params[0][0].T
            overflow += not np.isfinite(z).all()
            squares_overflow.append(not np.isfinite(np.sum((y - 0.5) ** 2, axis=-1)).all())
        sub += bool((np.abs(x)[x != 0] < np.finfo(np.float64).tiny).any())
    info = longdouble.reference(mats[:64], "float64")[1]
    assert overflow >= 10 and sub >= 5
    assert (np.array(squares_overflow[:64]) & ~info.cost_maybe).sum() >= 2      # (a - y)^2 overflows, C in range
    assert info.grad_maybe.sum() >= 2 and (~info.grad_maybe).sum() >= 10
    assert info.cost_beyond.sum() >= 2 and (~info.cost_maybe).sum() >= 10


def test_manual_passes_the_extreme_cases():
    cases = draw_extreme_cases(120, 3)
    assert check_grad(manual.grad, cases, cost=manual.cost, name="manual.grad").ok
    assert check_grad(manual.backprop, [dataclasses.replace(c, batch=0) for c in cases]).ok


def _refuse_everything(params, x, y):
    raise ValueError("the gradient is beyond float64's range")


def test_range_rule_fails_a_refusal_in_range_and_an_answer_beyond_range():
    """A ValueError where every exact element is in range, and values where some are surely beyond it, are both
    failures of kind ``range``; refusing where the exact value is beyond range is agreement."""
    cases = draw_extreme_cases(64, 0, ("float64",))
    report = check_grad(_refuse_everything, cases, shrink_failure=False)
    assert report.first.kind == RANGE and 0 < report.failed < len(cases)     # some cases are beyond range
    # 2-layer net: z^2 = 0, delta^2 = -y / 4 ~ -4e307, (W^2)^T delta^2 ~ 4e313, delta^1 ~ 1e313: surely beyond
    params = [(np.array([[1.0]]), np.array([0.0])), (np.array([[2.0**20]]), np.array([-2.0**19]))]
    x, y = np.array([0.0]), np.array([1.7e308])
    ref, info = longdouble.reference([(params, x, y)], "float64")
    assert info.grad_beyond[0] and info.cost_beyond[0]
    case = cases[0]
    decided, failure = ranges.judge_grad(case, None, False, info, 0)
    assert decided and failure.kind == RANGE
    assert ranges.judge_grad(case, None, False, info._replace(grad_beyond=np.array([False])), 0) == (False, None)
    with pytest.raises(ValueError):
        manual.grad(params, x, y)
    assert ranges.call_and_judge_cost(case, manual.cost, (params, x, y), ref, info, 0) is None   # refused: agreed
    failure = ranges.call_and_judge_cost(case, lambda *a: 1.0, (params, x, y), ref, info, 0)
    assert failure.kind == RANGE


def test_extreme_spec_round_trips():
    case = draw_extreme_cases(1, 4)[0]
    assert case.extreme and parse_case(case.spec()) == case
    assert not parse_case(case.spec().replace(" extreme=1", "")).extreme
    assert not parse_case(case.spec().replace("extreme=1", "extreme=0")).extreme
    with pytest.raises(ValueError):
        parse_case(case.spec().replace("extreme=1", "extreme=2"))


def test_extreme_draws_have_refusals_overflowing_sums_and_mixed_edge_targets():
    """The three drawn templates the mutation benchmark asked for (``extremes._beyond``, ``_sum_overflows``,
    ``_edge_rows``): some gradients beyond range (manual refuses them), some z^1 = W^1 x + b^1 whose sum overflows
    though W^1 x and b^1 do not, some y mixing entries near sqrt(max) with unit ones."""
    from compare.oracle.cases.cases import extremes

    cases = draw_extreme_cases(200, 0)
    refused = overflowing = mixed = 0
    for c in cases:
        params, x, y = materialise(c)
        try:
            manual.grad(params, x, y)
        except ValueError:
            refused += 1
        W, b = params[0]
        with np.errstate(over="ignore", invalid="ignore"):
            Wx = np.atleast_2d(x) @ W.T
            overflowing += bool(np.isfinite(Wx).all() and not np.isfinite(Wx + b).all())
        big = np.abs(y) > np.sqrt(np.finfo(c.dtype).max) / 2
        mixed += bool(big.any() and (np.abs(y) < 1).any())
    assert refused >= 3 and overflowing >= 5 and mixed >= 5, (refused, overflowing, mixed)
    assert (extremes.BEYOND + extremes.SUM_OVERFLOWS + extremes.WRONG_SIGN + extremes.ZERO_WEIGHT
            + extremes.EDGE_ROWS <= 1)                          # the templates' shares do not overlap


def _mutant_function(name: str, after: str):
    """Function ``name`` of the mutation benchmark's mutant of manual/careful.py whose changed line reads ``after``
    (the mutant's own source, executed as a module of the ``manual`` package)."""
    with open(careful.__file__) as f:
        m = next(m for m in mutants(f.read(), "manual/careful.py") if m.function == name and after in m.after)
    namespace = {"__name__": "manual._careful_mutant", "__package__": "manual"}
    exec(compile(m.source, careful.__file__, "exec"), namespace)
    return namespace[name]


@pytest.mark.parametrize("name, after", [("_rows_scaled", "A.shape[-0]"), ("_rows_scaled", "A.shape[-2]"),
                                         ("_check_range", "isfinite(arr).any()")])
def test_extreme_draws_catch_careful_code_with_too_little_headroom_or_a_partial_refusal(monkeypatch, name, after):
    """The default run's extreme cases fail ``manual.grad`` when its careful code is broken in the two ways the
    mutation benchmark found unguarded (its mutants, exactly): a scaled product with headroom for its rows rather
    than its summed terms
    (caught by ``extremes._coherent``: a batch of equal examples into one output), and a gradient returned with
    some elements beyond range (``extremes._beyond``: some inputs near the largest value, some unit)."""
    cases = draw_extreme_cases(200, 0)
    monkeypatch.setattr(careful, name, _mutant_function(name, after))
    report = check_grad(manual.grad, cases, name="manual.grad", shrink_failure=False)
    assert not report.ok
    assert report.first.case.extreme


def test_wrong_sign_draws_mix_finite_and_wrong_z_entries_and_fail_a_redo_asked_only_when_every_entry_overflowed(
        monkeypatch):
    """Some extreme cases' z^1 hold finite entries beside entries whose plain sum overflowed to the wrong sign,
    and no NaN (``extremes._wrong_sign``): a backprop that redoes z only when every entry overflowed (the mutation
    benchmark's survivor ``isfinite(z).any()`` in ``backprop._backprop``, exactly) returns finite, wrong gradients
    there, and the one-example cases of the default run fail it."""
    import sys

    cases = [dataclasses.replace(c, batch=0) for c in draw_extreme_cases(200, 0)]
    mixed = 0
    for c in cases:
        params, x, _ = materialise(c)
        with np.errstate(over="ignore", invalid="ignore"):
            z = params[0][0] @ x + params[0][1]
        mixed += bool(np.isfinite(z).any() and np.isinf(z).any() and not np.isnan(z).any())
    assert mixed >= 2, mixed

    module = sys.modules["manual.backprop"]
    with open(module.__file__) as f:
        m = next(m for m in mutants(f.read(), "manual/backprop.py")
                 if m.function == "_backprop" and "if not np.isfinite(z).any():" in m.after)
    namespace = {"__name__": "manual._backprop_mutant", "__package__": "manual"}
    exec(compile(m.source, module.__file__, "exec"), namespace)
    monkeypatch.setattr(module, "_backprop", namespace["_backprop"])
    report = check_grad(manual.backprop, cases, name="manual.backprop", shrink_failure=False)
    assert not report.ok
    assert report.first.case.extreme


def test_cancelling_draws_fail_a_careful_path_that_stays_in_float32(monkeypatch):
    """Some float32 default cases (``extremes._cancelling``) have a delta^(L-1) beyond float32's range in two
    examples whose batch sums cancel into range: every gradient is surely in range by the long double reference and
    manual.grad agrees, while ``careful._in_range`` without its float64 copies (the mutation benchmark's survivor
    ``if dtype == np.float32:`` -> ``if False:``, exactly) overflows to +-inf there and refuses them."""
    import importlib

    from compare.oracle.cases import extremes

    network = importlib.import_module("manual.network")
    cases = draw_extreme_cases(200, 0)
    cancelling = []
    for c in cases:
        params, x, y = materialise(c)
        if c.dtype == "float32" and c.batch >= 2 and len(params) >= 2 and y[0, 0] == -y[1, 0] != 0:
            cancelling.append(c)
    assert len(cancelling) >= 3 and extremes.CANCELLING > 0, [c.spec() for c in cancelling]
    info = longdouble.reference([materialise(c) for c in cancelling], "float32")[1]
    assert not info.grad_maybe.any()
    assert check_grad(manual.grad, cancelling, name="manual.grad", shrink_failure=False).ok
    monkeypatch.setattr(network, "_in_range", _mutant_function("_in_range", "if False:"))
    report = check_grad(manual.grad, cases, name="manual.grad", shrink_failure=False)
    assert not report.ok and report.first.case.dtype == "float32"
