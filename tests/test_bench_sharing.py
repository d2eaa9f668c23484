"""What the any-size figure of ``python -m compare bench`` rests on changes no result: a large case's arrays are
drawn once and shared read-only (``cases.shared``) while ``materialise`` still hands out fresh copies, and a kept
reference (``reference/source.py``) gives the very verdict a fresh one gives."""

from __future__ import annotations

import numpy as np

import manual
from compare.oracle.cases import cases
from compare.oracle.cases.cases import Case, case_elements, materialise, shared
from compare.oracle.reference import source
from compare.oracle.verdict import run

LARGE = Case((300, 20, 3), 200, 1.5, "float64", 11)       # beyond the padded engine, above cases.KEEP_FROM


def _arrays(made) -> list[np.ndarray]:
    params, x, y = made
    return [a for pair in params for a in pair] + [x, y]


def test_a_large_case_is_drawn_once_and_materialise_still_copies():
    assert case_elements(LARGE) >= cases.KEEP_FROM
    kept = _arrays(shared(LARGE))
    assert all(not a.flags.writeable for a in kept)
    assert all(a is b for a, b in zip(kept, _arrays(shared(LARGE))))           # the same arrays, not redrawn
    fresh = _arrays(materialise(LARGE))
    assert all(a.flags.writeable and a is not b and np.array_equal(a, b) for a, b in zip(fresh, kept))
    fresh[-2][...] = 0                                                         # a caller may change its copy
    assert np.array_equal(_arrays(materialise(LARGE))[-2], kept[-2]) and kept[-2].any()
    assert all(np.array_equal(a, b) for a, b in zip(_arrays(cases._draw(LARGE)), kept))


def test_a_kept_reference_gives_the_same_verdict():
    wrong = [Case((300, 20, 3), 200, 1.5, "float32", 12), LARGE]

    def off(params, x, y):
        return [(2 * gW, gb) for gW, gb in manual.grad(params, x, y)]

    source._kept.clear()
    first = run.run_cases(manual.grad, wrong) + run.run_cases(off, wrong)
    assert all(source._key(c) in source._kept for c in wrong)
    again = run.run_cases(manual.grad, wrong) + run.run_cases(off, wrong)
    def seen(results):
        return [(r.case, r.worst, r.failure and (r.failure.kind, r.failure.message)) for r in results]
    assert seen(first) == seen(again)
    assert [r.failure is None for r in first] == [True, True, False, False]


def test_a_large_failing_case_shrinks_through_one_case_within_the_padded_engine_first(monkeypatch):
    """Shrinking a failure beyond the padded engine first tries that case cut to the engine's limits (no
    compilation), alone, and goes on from it when it fails the same way; the shrunk case is as small as before."""
    from compare.oracle.diagnosis import shrink as shrink_mod
    from compare.oracle.reference.engine import unpadded_needed

    def wrong(params, x, y):
        return [(-gW, -gb) for gW, gb in manual.grad(params, x, y)]

    calls = []
    real = shrink_mod.run_cases

    def spy(grad, cases_, *args, **kwargs):
        calls.append(list(cases_))
        return real(grad, cases_, *args, **kwargs)

    monkeypatch.setattr(shrink_mod, "run_cases", spy)
    failure = run.run_cases(wrong, [LARGE])[0].failure
    shrunk = shrink_mod.shrink(wrong, failure)
    first = calls[0]
    assert len(first) == 1 and not unpadded_needed(first[0].sizes, first[0].batch)
    assert first[0].sizes[0] < LARGE.sizes[0] and first[0].batch < LARGE.batch
    assert not any(unpadded_needed(c.sizes, c.batch) for call in calls for c in call)   # no shape compiled
    assert shrunk.case.sizes == (1, 1) and shrunk.case.batch == 0


def test_a_long_double_chunk_is_computed_once_and_kept_for_its_reruns(monkeypatch):
    """A failing run checks its extreme cases again (the layout probe, the constant fit, the diagnosis): the
    long-double reference of a chunk is kept by its cases, so a rerun does not recompute it, and the rerun's
    verdicts are the same."""
    from compare.oracle.cases.cases import draw_extreme_cases
    from compare.oracle.reference import longdouble

    calls = []
    real = longdouble.reference

    def counted(mats, dtype):
        calls.append(len(mats))
        return real(mats, dtype)

    monkeypatch.setattr(longdouble, "reference", counted)
    source._kept.clear()
    extreme = draw_extreme_cases(6, 3)
    first = run.run_cases(manual.grad, extreme)
    n = len(calls)
    again = run.run_cases(manual.grad, extreme)
    assert n >= 1 and len(calls) == n
    assert [(r.failure, r.worst) for r in first] == [(r.failure, r.worst) for r in again]
