"""``check_step``: a candidate's gradient-descent step ``step(params, x, y, eta)`` on many cases, every element of
W' and b' against ``step.expected`` (W - eta * mean grad from ``jax.grad``, with its bound).

A case is a ``Case`` (one example or a mini-batch) and a learning rate from ``step.draw_etas``. The report says
how the candidate hands its result over (``update``: in place or returned), how many elements the reference
moved by more than the tolerance (a run where none moved is blind, and is no pass), and for a failure which
mistake of ``stepmistakes`` reproduces it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from itertools import combinations
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case, draw_default
from ..cases.limits import CHUNK
from ..diagnosis import copiedunit, elements, fixedinput, stepmistakes, stepnearly, unitline
from ..diagnosis.budget import deadline
from ..diagnosis.diagnose import (
    OVERFLOW_LINE,
    beside_shape_line,
    feature_lines,
    other_crashes,
    transposed_shapes_line,
)
from ..diagnosis.features import batch_crash_first, batch_crash_line, crash_sizes_line, feature_counts, one_dtype_agrees
from ..diagnosis.mistakes import DEPTH_ONE_BROADER, DEPTH_TWO_BROADER, IN_CASE_DTYPE, ONE_LAYER, as_constant, broadest
from ..diagnosis.steppatterns import (
    NOT_REPRODUCED_ROUNDED,
    REPRODUCED_ROUNDED,
    RIGHT_BUT_ROUNDED,
    climb_line,
    clip_bound,
    clip_line,
    decimal_places,
    decimals_line,
    layer_line,
    step_constants,
)
from ..reference import source
from ..reference.bound import UNIT_ROUNDOFF
from ..reference.engine import LayerReference
from ..reference.step import StepLayer, draw_etas, expected
from ..sandbox import forms, interrupts, layouts
from ..sandbox.forms import IN_PLACE, RETURNED, How
from ..verdict import constants
from ..verdict.convention import network_cases
from ..verdict.results import NONFINITE, RAISED, SHAPE, VALUE, Failure, Keeper
from ..verdict.run import pipeline
from ..verdict.update import Update, call_update
from ..verdict.values import STEP, apart, compare_layers, left_out
from . import precision, propagation
from .check import PROBE_CASES, UNSTEADY_CASES


class StepResult(NamedTuple):
    """One checked step: the case, its eta, the failure (None when it agreed), its worst |candidate -
    reference| / tolerance, the elements the reference moved beyond the tolerance and all elements, how the
    candidate handed the result over, the wider dtype it returned (or None), and for a failure the inputs and
    the candidate's W', b' (for the diagnosis): ``inputs`` is (params, x, y, reference gradient layers)."""

    case: Case
    eta: float
    failure: Failure | None
    worst: float
    moved: int
    elements: int
    mode: str | None
    wider: str | None = None
    inputs: tuple | None = None
    got: list | None = None
    scale: float = 1.0      # the declared convention's constant K on this case (the reference is W - eta K grad W)


@dataclasses.dataclass
class StepReport:
    """A step run. ``ok``: every case agreed, at least one case moved W beyond its tolerance, not interrupted."""

    name: str
    cases: int = 0
    failed: int = 0
    first: StepResult | None = None
    smallest: StepResult | None = None
    diagnosis: list[str] = dataclasses.field(default_factory=list)
    mistakes: tuple[str, ...] = ()         # stepmistakes keys that reproduce the smallest failure
    modes: dict[str, int] = dataclasses.field(default_factory=dict)
    moved_cases: int = 0
    moved: int = 0
    elements: int = 0
    worst_ratio: dict[str, float] = dataclasses.field(default_factory=dict)
    wider: dict[str, int] = dataclasses.field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False
    reproduce: str | None = None
    form: str = "step"
    constant: constants.Constant | None = None   # every case agrees once the step is divided by it (a convention)
    by_kind: dict[str, int] = dataclasses.field(default_factory=dict)   # failing cases per failure kind
    leading: StepResult | None = None    # the first of the most frequent kind, where ``smallest`` is of another
    also: list[StepResult] = dataclasses.field(default_factory=list)   # the first of each kind neither of them is
    layout_fix: layouts.Fix | None = None   # another layout under which the failing steps tried agree
    convention_said: bool = False           # the diagnosis's first line is already that of a convention
    depths_apart: bool = False              # no mistake reproduces every failing step; some, each depth's apart

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.cases > 0 and self.moved_cases > 0 and not self.interrupted


def _kept(r: StepResult, keeper: Keeper) -> StepResult:
    """``r``, or where the failing steps' arrays kept for the diagnosis have reached their limit
    (``results.Keeper``), ``r`` without its arrays, inputs and new parameters (its verdict and message kept)."""
    extra = 3 * sum(np.asarray(a).nbytes for W, b in r.inputs[0] for a in (W, b)) if r.inputs else 0   # x, W', g
    if r.failure is None or keeper.keep(r.failure, extra):
        return r
    return r._replace(failure=dataclasses.replace(r.failure, arrays=(), beside=None), inputs=None, got=None)


def _chunks(n: int, cases: list[Case]) -> list[list[int]]:
    groups: dict[tuple, list[int]] = {}
    for i in range(n):
        groups.setdefault(source.group(cases[i]), []).append(i)
    return [g[i:i + CHUNK] for g in groups.values() for i in range(0, len(g), CHUNK)]


def references(items: list[tuple], dtype: str, bare: tuple[int, ...] = ()) -> list[list[StepLayer]]:
    """The reference gradients of materialised ``items`` [(params, x, y)] of one dtype and padded width
    group, as lists of ``LayerReference`` per item (``bare``: the layers without a bias, whose b is not
    compared, ``source.WithoutBiases``)."""
    out = []
    for i in range(0, len(items), CHUNK):
        ref = source.reference(items[i:i + CHUNK], dtype, bare=bare)
        out += [[ref.layer(k, l) for l in range(len(items[i + k][0]))] for k in range(len(items[i:i + CHUNK]))]
    return out


def scaled(layers: list, k: float) -> list:
    """The reference gradients (and their tolerances) times a declared constant ``k`` (``--scale``): the step
    expected of a candidate whose gradient is k times the seed's (its own cost convention)."""
    if k == 1.0:
        return layers
    return [LayerReference(r.W * k, r.b * k, r.tol_W * abs(k), r.tol_b * abs(k)) for r in layers]


def _examples(x) -> int:
    """The examples of a step's x: 1 for one example (n_0,), m for a batch (m, n_0)."""
    return int(np.atleast_2d(np.asarray(x)).shape[0])


def check_one(case: Case, eta: float, params, x, y, upd: Update, layers, k: float = 1.0) -> StepResult:
    """One case's verdict from the candidate's ``Update`` and the reference gradients ``layers`` (already times
    ``k``, the declared convention's constant on this case, kept for the diagnosis's own recomputations)."""
    exp = expected(params, layers, eta, case.dtype, _examples(x))
    moved = sum(int(e.moved_W.sum() + e.moved_b.sum()) for e in exp)
    elements = sum(e.W.size + e.b.size for e in exp)
    if upd.failure is not None and upd.partial is not None:
        return _beside_shape(StepResult(case, eta, upd.failure, 0.0, moved, elements, upd.mode, None, None, None, k),
                             params, x, y, upd.partial, layers)
    if upd.failure is not None:
        return StepResult(case, eta, upd.failure, 0.0, moved, elements, upd.mode, None, (params, x, y, layers), None,
                          k)
    worst, failure = compare_layers(case, upd.params, exp, STEP)
    return StepResult(case, eta, failure, worst, moved, elements, upd.mode, upd.wider,
                      (params, x, y, layers) if failure else None, upd.params if failure else None, k)


def _beside_shape(r: StepResult, params, x, y, partial: list, layers) -> StepResult:
    """The shape failure ``r`` with the candidate's arrays of the right shape compared (``Failure.beside``: their
    value failure, or None where they agree): each wrong array is left out as ``--biases none`` leaves out b, by
    an infinite tolerance on the reference's right value, so that the diagnosis searches the others (round 44's
    xchen_m3: grad W^1 / m behind a bias of shape (m, 1) on every case with m > 1)."""
    masked = left_out(layers, partial)
    exp = expected(params, masked, r.eta, r.case.dtype, _examples(x))
    got = [(e.W if cW is None else cW, e.b if cb is None else cb) for (cW, cb), e in zip(partial, exp)]
    _, beside = compare_layers(r.case, got, exp, STEP)
    return r._replace(failure=dataclasses.replace(r.failure, beside=beside), inputs=(params, x, y, masked), got=got)


def summarise(report: StepReport, results: list[StepResult]) -> None:
    """Fill ``report``'s counts from ``results`` and diagnose its smallest failure."""
    report.cases = len(results)
    for r in results:
        report.moved += r.moved
        report.elements += r.elements
        report.moved_cases += r.moved > 0
        if r.mode:
            report.modes[r.mode] = report.modes.get(r.mode, 0) + 1
        if r.wider:
            key = f"{r.case.dtype} -> {r.wider}"
            report.wider[key] = report.wider.get(key, 0) + 1
        if r.failure is not None:
            report.failed += 1
            report.first = report.first or r
            report.by_kind[r.failure.kind] = report.by_kind.get(r.failure.kind, 0) + 1
            if report.smallest is None or _size(r) < _size(report.smallest):
                report.smallest = r
        else:
            d = r.case.dtype
            report.worst_ratio[d] = max(report.worst_ratio.get(d, 0.0), r.worst)
    if report.by_kind:
        most = max(report.by_kind, key=report.by_kind.get)
        if report.by_kind[most] > report.by_kind[report.smallest.failure.kind]:      # another kind leads
            report.leading = next(r for r in results if r.failure is not None and r.failure.kind == most)
        shown = {report.smallest.failure.kind, most}
        report.also = [next(r for r in results if r.failure is not None and r.failure.kind == k)
                       for k in sorted(report.by_kind, key=lambda k: -report.by_kind[k]) if k not in shown]


NEARLY_SECONDS = 20.0   # of the oracle's CPU time: the search for a mistake that leaves one or two elements apart
DIAGNOSED = 8   # failing cases (the smallest half, and half spread over the rest) a mistake must reproduce


def _diagnosed(values: list[StepResult]) -> list[StepResult]:
    """The failing cases a mistake must reproduce: the DIAGNOSED // 2 smallest, then of the rest the one whose
    reference moves the most elements beyond the tolerance for each new combination of depth >= 2, n_L > 1, m > 1
    and dtype (a mistake that acts only there, e.g. W^(l+1) updated before delta^l uses it, and only where the
    step is large enough to see, must show on some case), then as many spread over the rest."""
    half = DIAGNOSED // 2
    rest, varied, seen = values[half:], [], set()
    for r in sorted(rest, key=lambda r: -r.moved):
        sig = (r.case.depth >= 2, r.case.sizes[-1] > 1, r.case.batch > 1, r.case.dtype)
        if sig not in seen and len(varied) < half:
            seen.add(sig)
            varied.append(r)
    spread = [r for r in rest[::max(1, len(rest) // half)] if all(r is not v for v in varied)] if rest else []
    return values[:half] + varied + spread[:half - len(varied)]


def _common(diagnosed: list[StepResult], tier: Callable) -> list[stepmistakes.Found]:
    """The hypotheses of ``tier`` (a function of a result and the keys still in question, None for all) found
    within the tolerance of every one of the ``diagnosed`` cases and visible (``Found.visible``) on at least one,
    in the order the first case found them: the gradients' rule (``explain._choose``), a mistake barely visible
    on one case is not refuted there."""
    kept: list[stepmistakes.Found] | None = None
    seen: set[str] = set()
    for r in diagnosed:
        found = tier(r, None if kept is None else {f.key for f in kept})
        seen |= {f.key for f in found if f.visible}
        keys = {f.key for f in found}
        kept = found if kept is None else [f for f in kept if f.key in keys]
        if not kept:
            return []
    return [f for f in kept or [] if f.key in seen]


CONFIRMED = 60        # the failing steps, beyond those searched, on which a diagnosis is checked
MISSED_SEARCHED = 2   # of those it misses, the ones added to the search (the reference moving the most first)


def _confirmed(found: list[stepmistakes.Found], values: list[StepResult], diagnosed: list[StepResult]
               ) -> tuple[list[stepmistakes.Found], list[StepResult]]:
    """(those of ``found`` that also reproduce each of up to CONFIRMED failing steps spread over those not searched
    on, where any does, else ``found``; the steps checked that none of ``found`` reproduces): a mistake that acts
    only where the step is large (W^(l+1) updated first) or deep may be invisible on every step searched. Checked
    while the search's time lasts, and only where each hypothesis is made of catalogued keys alone (not a rate
    read from the run)."""
    if not found or not all(stepmistakes.recomputable(f.keys) for f in found):
        return found, []
    rest = [r for r in values if all(r is not d for d in diagnosed)]
    holds, missed = {f.key: True for f in found}, []
    for r in rest[::max(1, len(rest) // CONFIRMED)][:CONFIRMED]:
        if stepmistakes.out_of_time():
            break
        fits = dict(zip((f.key for f in found), stepmistakes.reproduced(r, [f.keys for f in found])))
        holds = {k: v and fits[k] for k, v in holds.items()}
        missed += [] if any(fits.values()) else [r]
    kept = [f for f in found if holds[f.key]]
    return kept or found, sorted(missed, key=lambda r: -r.moved) if not kept else []


def _separating(found: list[stepmistakes.Found], values: list[StepResult]) -> str:
    """What would tell equally reproduced combinations apart: where each makes the same step on every failing step
    checked (up to CONFIRMED), nothing the run's options allow (a mistake of the hidden layers on a net of one at
    the fixed sizes of --sizes; two that differ only in a bias under --biases none); else that a case separating
    them is needed."""
    checked = values[::max(1, len(values) // CONFIRMED)][:CONFIRMED]
    if all(stepmistakes.recomputable(f.keys) for f in found) and \
            all(stepmistakes.same_step(r, [f.keys for f in found]) for r in checked):
        rate = (f", or at another rate than the one --eta fixes, {values[0].eta:g}, where a factor 1/eta or eta is "
                "a constant" if _one_rate(values) and any(_rate_slip(f) for f in found) else "")
        return (f"they make the same step on each of the {len(checked)} failing steps checked, so no case like "
                f"these separates them (they differ, if at all, on other sizes or on biases the net lacks{rate})")
    return "a case that separates them is needed"


ETA_FACTOR_SLIPS = ("no_eta", "eta_missing", "eta_twice")   # the rate left out or applied twice: 1/eta or eta


def _rate_slip(f: stepmistakes.Found) -> bool:
    """Whether ``f`` holds a slip of the rate (``ETA_FACTOR_SLIPS``; not ``stepmistakes.RATE_SLIPS``, a sign among
    them)."""
    return any(slip in k for k in f.keys for slip in ETA_FACTOR_SLIPS)


def _one_rate(values: list[StepResult]) -> bool:
    """Whether every step has the same eta (a rate --eta fixes): there a slip of the rate is a constant factor."""
    return len({r.eta for r in values}) == 1


def _needed(diagnosed: list[StepResult], pair: tuple[str, str]) -> bool:
    """Each part of a (gradient, update) mistake pair is needed: on some diagnosed case the gradient mistake alone
    misses the candidate, and on some the update mistake alone does (``stepmistakes.alone_within``)."""
    alone = [stepmistakes.alone_within(r, pair) for r in diagnosed]
    return not all(g for g, _ in alone) and not all(s for _, s in alone)


def diagnose_into(report: StepReport, results: list[StepResult], extra=(), batches_only: bool = False) -> None:
    """``_diagnose_into``, whose failure (a bug of the search's own) is said in the diagnosis instead of ending the
    run: the verdict was reached before the search began and stands without it."""
    try:
        _diagnose_into(report, results, extra, batches_only)
    except Exception as e:                   # noqa: BLE001 - any bug of the search; Ctrl-C is not an Exception
        report.mistakes = ()
        report.diagnosis = [f"the diagnosis failed ({type(e).__name__}: {e}): a bug in the oracle's search, not "
                            "in the candidate; the verdict above stands (please report it with the reproduce line)"]


def _diagnose_into(report: StepReport, results: list[StepResult], extra=(), batches_only: bool = False) -> None:
    """The diagnosis of the run's failures: the catalogued mistakes that reproduce each of DIAGNOSED failing
    cases (so that a mistake indistinguishable from the candidate on one case, e.g. eta^2 where the step is below
    ulp(W), is not claimed), tried in tiers, the first tier with a hit wins: the update mistakes
    (``stepmistakes``, and ``extra``: a list of ``stepmistakes.StepMistake``, or a function of the failing
    ``StepResult`` giving one); a gradient mistake in a right update (``stepmistakes.gradient_step``); a gradient
    mistake and an update mistake together (``stepmistakes.combined_step``), named together only there, where
    neither alone reproduces every case. Without a hit, the per-layer pattern of the smallest failing case.
    ``batches_only``: the one-example cases went as batches of one (``features.batch_crash_line``)."""
    failing = sorted((r for r in results if r.failure is not None), key=_size)
    if not failing:
        return
    telling = [r for r in results if r.failure is not None or r.moved]   # an agreeing step that moved nothing
    features = feature_lines(feature_counts(telling), len(telling), len(failing))   # says nothing of a feature
    hint = next((h if r is failing[0] else f"{h} (that message: {r.failure.message!r}, on {r.case.spec()})"
                 for r in failing if r.failure.kind == RAISED
                 and (h := transposed_shapes_line(r.failure.message, False))), None)
    if hint is None and failing[0].failure.kind == RAISED:     # one bias unit apart: the crash the report leads with
        hint = transposed_shapes_line(failing[0].failure.message)
    overflow = OVERFLOW_LINE if any(r.failure.kind == RAISED and r.failure.overflow for r in failing) else None
    batch = batch_crash_line(results, batches_only)
    crashes = batch or crash_sizes_line(results)
    features = [h for h in (overflow, hint, crashes) if h] + features
    if failing[0].failure.kind not in (VALUE, NONFINITE):
        others = other_crashes([r.failure for r in failing], failing[0].failure)
        report.diagnosis = [failing[0].failure.message, *others, *_beside_shapes(report, failing, extra), *features]
        report.diagnosis = batch_crash_first(report.diagnosis, batch, results, batches_only)
        return
    if _values_into(report, failing, extra):
        report.diagnosis += other_crashes([r.failure for r in failing], None)   # crashes beside the wrong values
        report.diagnosis += _other_kinds([r.failure for r in failing])
    if not batches_only and all(r.case.batch == 0 for r in failing) and any(r.case.batch >= 1 for r in results):
        report.diagnosis[:0] = features        # every failure one example, every batch right: the layout first
    else:
        report.diagnosis += features


def _beside_shapes(report: StepReport, failing: list[StepResult], extra=()) -> list[str]:
    """Where steps fail on a wrong shape, their arrays of the right shape compared (``Failure.beside``): the
    lines that say they disagree too, and the diagnosis of those arrays alone (its mistakes added to
    ``report.mistakes``); [] where they agree or none was compared."""
    shaped = [r for r in failing if r.failure.kind == SHAPE and r.inputs is not None]
    beside = [r._replace(failure=r.failure.beside) for r in shaped if r.failure.beside is not None]
    if not beside:
        return []
    sub = StepReport(report.name)
    _values_into(sub, beside, extra)
    report.mistakes += sub.mistakes
    return [beside_shape_line(len(beside), len(shaped), beside[0].failure, "steps"), *sub.diagnosis]


def _values_into(report: StepReport, failing: list[StepResult], extra=()) -> bool:
    """The diagnosis of the wrong values among the ``failing`` steps (``_diagnose_into``'s tiers); False where it
    is complete without the lines of other failures (the steps too large to keep, an exp overflow alone)."""
    values = [r for r in failing if r.failure.kind in (VALUE, NONFINITE) and r.inputs is not None]
    if not values:
        report.diagnosis = [failing[0].failure.message, "the failing steps were too large to keep for a diagnosis"]
        return False
    if _overflow_alone(values):
        report.mistakes = ("sigma_exp_overflow",)
        report.diagnosis = [f"{stepmistakes.gradient_sentence('sigma_exp_overflow')} (every failing step is "
                            "non-finite, and every finite step agrees)"]
        return False
    values, last = _last_steps_apart(values, extra)
    _search_into(report, values, extra)
    if not report.mistakes and not report.interrupted:
        keys, said = precision.lines(values, lambda steps: _searched(report.name, steps, extra))
        if said:
            report.mistakes, report.diagnosis = keys, [*said, *(report.diagnosis if not keys else [])]
    report.diagnosis += _last_steps_lines(report, last)
    return True


def _searched(name: str, values: list[StepResult], extra=()) -> tuple[tuple[str, ...], list[str]]:
    """The mistakes and lines of the tiers' search on ``values`` alone (``precision``'s float32 steps)."""
    sub = StepReport(name)
    _search_into(sub, values, extra)
    return sub.mistakes, sub.diagnosis


def _search_into(report: StepReport, values: list[StepResult], extra=()) -> None:
    """The tiers' diagnosis of the failing steps with wrong values, ``values``, into ``report`` (``_values_into``)."""
    depths = {r.case.depth for r in values}
    token = _one_depth.set(depths.pop() if len(depths) == 1 else None)
    try:
        _search_values(report, values, extra)
    finally:
        _one_depth.reset(token)


def _search_values(report: StepReport, values: list[StepResult], extra=()) -> None:
    """``_search_into``'s search."""
    diagnosed = _diagnosed(values)
    if (k := decimal_places(diagnosed)) is not None:        # every value rounded: searched with that allowed for
        report.mistakes, report.diagnosis = _searched_through(
            diagnosed, stepmistakes.rounded(k), "rounded_to_decimals", lambda r: decimals_line(k, r), extra)
        return
    if (c := clip_bound(values)) is not None:       # weights clipped (seen on any failing step): searched so
        report.mistakes, report.diagnosis = _searched_through(
            diagnosed, stepmistakes.clipped(c), "weights_clipped", lambda r: clip_line(c, r), extra)
        return
    if (k := _right_under_undeclared(diagnosed)) is not None:      # a convention, not a mistake: nothing to search
        report.mistakes, report.convention_said = _constant_reading(k, diagnosed), True
        named = ' + '.join(report.mistakes)
        if report.mistakes and any(r.scale != 1.0 for r in diagnosed):    # a convention declared: read against it
            lead = (f"every failing step diagnosed is the step of the --scale declared with what the catalogue reads "
                    f"as [{named}] (each step is right under the constant K = {k} of another cost convention: if "
                    f"that is the code's, declare --scale '{k}'):")
        else:
            declared = "not declared" if all(r.scale == 1.0 for r in diagnosed) else "other than the --scale declared"
            lead = (f"every failing step diagnosed is right under the constant K = {k} of a cost convention (W' = W - "
                    f"eta K grad W): no mistake, a convention {declared} (--scale '{k}')"
                    + (f"; if that convention is not meant, the catalogue reads it as [{named}]:" if named else ""))
        report.diagnosis = [lead, *map(_reading_sentence, report.mistakes)]
        return
    with stepmistakes.searching():
        found, constant = _tiers(diagnosed, extra)
        found, missed = _confirmed(found, values, diagnosed) if constant is None else (found, [])
        if missed:                 # a mistake invisible on every step searched shows here: searched again with it
            again, constant = _tiers([*diagnosed, *missed[:MISSED_SEARCHED]], extra)
            found, missed = _confirmed(again, values, diagnosed) if again and constant is None else (found, missed)
        stopped = not found and stepmistakes.out_of_time()
    if _one_rate(values):           # a factor that equals 1/eta at the rate --eta fixes: the rate's slip first
        found = sorted(found, key=lambda f: not _rate_slip(f))
    together = [f for f in found if len(f.keys) > 1]
    report.mistakes = tuple(k for f in found for k in f.keys) if len(together) <= 1 or len(found) == 1 else ()
    report.diagnosis = [f.sentence for f in found] or ["no catalogued step mistake reproduces this" + (
        " among the combinations tried before the search's time limit (its line below)" if stopped else "")]
    if len(found) > 1 and together:
        report.diagnosis.insert(0, f"equally reproduced by {len(found)} combinations: {_separating(found, values)}")
    elif len(found) > 1:                 # one mistake under several names: said after them, the first stays first
        report.diagnosis.append(f"the {len(found)} mistakes above are equally reproduced: {_separating(found, values)}")
    if found and missed and (other := _on_the_missed(missed, extra)):
        report.mistakes += tuple(f.key for f in other if f.key not in report.mistakes)
        report.diagnosis += [f"and the {len(missed)} other failing steps checked that it does not reproduce (the "
                             f"first: --case '{missed[0].case.spec()}') are each reproduced by a mistake of their own, "
                             "which acts on those steps alone:", *(f.sentence for f in other)]
    elif found and missed:
        report.diagnosis.append(f"but it does not reproduce {len(missed)} of the other failing steps checked (the "
                                f"first: --case '{missed[0].case.spec()}'): something more acts there, which no "
                                "catalogued combination with it reproduces")
    if len(found) == 1 and (fixed := _fixed_rate_line(found[0].keys)):
        report.diagnosis.insert(0, fixed)
    if constant is not None:
        declared = "undeclared" if all(r.scale == 1.0 for r in diagnosed) else "not the --scale declared"
        report.diagnosis.insert(0, f"reproduced with the constant K = {constant} of a cost convention as well, "
                                   f"{declared}: the step is K times that of the mistaken gradient below (declare "
                                   f"--scale '{constant}' if the convention is meant)")
    element = None if found else _element_line(diagnosed)
    if element is not None:
        report.mistakes, report.diagnosis = (element[0],), [element[1]]
    elif not found and (apart := _per_depth(values, diagnosed, extra)) is not None:
        (report.mistakes, report.diagnosis), report.depths_apart = apart, True
    elif not found:
        with stepmistakes.searching(NEARLY_SECONDS):
            near = stepnearly.lines(diagnosed)
        if not near and (unit := unitline.found(diagnosed)):
            report.mistakes = unitline.mistakes(unit)
            report.diagnosis = [unitline.line(unit, len(diagnosed), diagnosed[0].case.depth)]
            return
        if not near and (copied := copiedunit.found(diagnosed)):
            report.mistakes = copiedunit.mistakes(copied)
            report.diagnosis = [copiedunit.line(copied, len(diagnosed))]
            return
        line = None if near else layer_line(values[0], diagnosed)
        fixed = fixedinput.fixed_inputs(diagnosed)
        report.diagnosis += near or ([line] if line else [])
        report.diagnosis += [fixedinput.line(fixed, len(diagnosed))] if fixed else []
        report.diagnosis += [climbs] if (climbs := climb_line(values)) else []
        report.diagnosis += [_stopped_line(diagnosed)] if stopped else []
    elif len(found) == 1 and constant is None and (also := _overflow_also(values, found[0].keys)):
        report.diagnosis.append(also)
        report.mistakes += ("sigma_exp_overflow",)


# The catalogued mistakes each of the ``UNDECLARED`` constants is, where its convention is not meant.
CONSTANT_READINGS = {"1": (), "n_L": ("missing_inv_nL",), "2*n_L": ("missing_half", "missing_inv_nL"),
                     "2": ("missing_half",), "n_L*m": ("missing_inv_nL", "summed"),
                     "2*n_L*m": ("missing_half", "missing_inv_nL", "summed"), "m": ("summed",)}


def _constant_reading(k: str, diagnosed: list[StepResult]) -> tuple[str, ...]:
    """The catalogued mistakes that make the step of the declared convention K times that of the constant ``k``
    (``CONSTANT_READINGS``, read against the declared constant where it is one of ``UNDECLARED`` and the seed's
    else): under --scale n_L, code right under 2*n_L reads as [missing_half]; () where no such reading exists (it
    has a factor the declared constant lacks, or lacks one it has)."""
    declared = next((e.expr for e in UNDECLARED if all(e(r.case) == r.scale for r in diagnosed)), "1")
    have, base = CONSTANT_READINGS[k], CONSTANT_READINGS[declared]
    return tuple(m for m in have if m not in base) if set(base) <= set(have) else ()


def _reading_sentence(key: str) -> str:
    """A catalogued mistake of ``CONSTANT_READINGS`` in its words: an update mistake's, or a gradient mistake's."""
    return f"[{key}] {stepmistakes.step_sentence(key)}" if stepmistakes.is_update(key) else \
        stepmistakes.gradient_sentence(key)


def _right_under_undeclared(diagnosed: list[StepResult]) -> str | None:
    """The first of the ``UNDECLARED`` constants (other than the one declared) under which every diagnosed step is
    the right one: the code's cost convention differs, and there is no mistake to search for."""
    return next((expr for expr, rescaled in _rescaled(diagnosed)
                 if all(stepmistakes.right_within(r) for r in rescaled)), None)


# A whole-step reading that is a convention and a fixed rate of 1 (trask-style W += X.T @ delta): the factor each
# of its parts puts into the step (eta_missing: the rate itself).
CONVENTION_FACTORS = {"missing_half": "2", "missing_inv_nL": "n_L", "sum_not_mean": "m", "summed": "m"}


def _fixed_rate_line(keys: tuple[str, ...]) -> str | None:
    """The line that reads a combination of a missing eta and convention factors (``CONVENTION_FACTORS``) as code
    with its rate fixed at 1 and another cost convention, or None where ``keys`` are not all such."""
    parts = [p for k in keys for p in (k.split("_and_") if k.endswith("_and_eta_missing") else (k,))]
    if "eta_missing" not in parts or not all(p == "eta_missing" or p in CONVENTION_FACTORS for p in parts):
        return None
    factors = [CONVENTION_FACTORS[p] for p in parts if p != "eta_missing"]
    if not factors:
        return None
    expr = "*".join(sorted(factors, key=("2", "n_L", "m").index))
    return (f"read together, these are code with its rate fixed at 1 (eta not used) that descends another cost "
            f"convention, K = {expr}: if that is its design, declare --eta 1 --scale '{expr}'; the mistakes below "
            "are that reading")


def _searched_through(diagnosed: list[StepResult], within, key: str, line: Callable[[str], str], extra=()
                      ) -> tuple[tuple[str, ...], list[str]]:
    """(mistakes, lines) of steps that code changes after its step (values rounded, weights clipped): searched
    ``within`` a context that allows for it (``stepmistakes.rounded``, ``stepmistakes.clipped``), said by ``line``
    (of ``steppatterns``' readings: none reproduced, the mistakes below, or the right step), the mistakes after it;
    ``key``: the report's key of the change itself."""
    with within, stepmistakes.searching():
        if all(stepmistakes.right_within(r) for r in diagnosed):
            return (key,), [line(RIGHT_BUT_ROUNDED)]
        found, constant = _tiers(diagnosed, extra)
    if not found or constant is not None:
        return (key,), ["no catalogued step mistake reproduces this", line(NOT_REPRODUCED_ROUNDED)]
    return (key, *(k for f in found for k in f.keys)), [line(REPRODUCED_ROUNDED), *(f.sentence for f in found)]


def _last_steps_apart(values: list[StepResult], extra=()) -> tuple[list[StepResult], list]:
    """(the failing steps to search, [(step, the last-step mistakes reproducing it)]): an epoch's last, partial
    mini-batch steps that one of its own mistakes (``stepmistakes.LAST_STEP_KEYS``: dropped, averaged over k,
    padded) reproduces, kept apart where other steps fail too, so that those others' mistake is searched on them
    alone; every step searched where all are such (the last-step mistake is then the diagnosis)."""
    if not callable(extra):
        return values, []
    last, rest = [], []
    for r in values:
        own = [m for m in extra(r) if m.key in stepmistakes.LAST_STEP_KEYS]
        found = stepmistakes.reproduced_by(r, own) if own else []
        (last if found else rest).append((r, found))
    if not last or not rest:
        return values, []
    keys = {f.key for f in last[0][1]}       # each step's own epoch's mistakes (its rows, its sizes)
    if any(stepmistakes.reproduced_by(r, [m for m in extra(r) if m.key in keys]) for r, _ in rest[:DIAGNOSED]):
        return values, []                # the same step elsewhere too (W never moved): not the last step's own
    return [r for r, _ in rest], last


def _last_steps_lines(report: StepReport, last: list) -> list[str]:
    """The lines of the last, partial mini-batch steps kept apart (``_last_steps_apart``): the mistakes that
    reproduce every one of them, added to ``report.mistakes``, after the diagnosis of the others; none where the
    others' mistakes reproduce them too (round 55's gyps_m2: a bias summed over a last mini-batch of 2, which
    float32 could not tell from one padded to 3)."""
    if not last:
        return []
    keys = tuple(k for k in report.mistakes if k not in stepmistakes.LAST_STEP_KEYS)
    if keys and stepmistakes.recomputable(keys) and all(stepmistakes.reproduced(r, [keys])[0] for r, _ in last):
        return []
    common = [f for f in last[0][1] if all(any(g.key == f.key for g in found) for _, found in last[1:])]
    report.mistakes += tuple(f.key for f in common)
    return [f"the {len(last)} failing steps of an epoch's last, partial mini-batch, diagnosed apart from the "
            f"others above (the first: --case '{last[0][0].case.spec()}'), are each reproduced by a mistake of "
            "their own:", *(f.sentence for f in common[:1])] if common else []


def _on_the_missed(missed: list[StepResult], extra=()) -> list[stepmistakes.Found]:
    """The update mistakes (``extra`` among them: an epoch's last, partial mini-batch dropped) that reproduce
    every one of the ``missed`` steps, which the mistakes found on the others do not: a second mistake acting on
    those steps alone (round 48's amanda_m1..m3: a gradient mistake, and the last partial mini-batch dropped)."""
    found = _common(missed, lambda r, _: stepmistakes.diagnose_step(r, extra(r) if callable(extra) else extra))
    return [f for f in found if f.key != "no_update"] if len(found) > 1 else found


def _other_kinds(failures: list[Failure]) -> list[str]:
    """Beside a diagnosis of wrong values, a line per other kind of failure that is not a crash (a wrong shape or
    dtype, a changed input: ``other_crashes`` says the crashes), with its first case and message: a reader of the
    diagnosis alone learns of it (round 44's xchen: a bias of one row per example, said only above)."""
    kinds: dict[str, list[Failure]] = {}
    for f in failures:
        if f.kind not in (VALUE, NONFINITE, RAISED):
            kinds.setdefault(f.kind, []).append(f)
    return [f"also {len(fs)} failing steps of kind {kind} (the first: --case '{fs[0].case.spec()}'): {fs[0].message}"
            for kind, fs in kinds.items()]


DEPTH_SECONDS = 60.0    # the CPU time of the search of every depth apart, shared out between the depths


def _per_depth(values: list[StepResult], diagnosed: list[StepResult], extra
               ) -> tuple[tuple[str, ...], list[str]] | None:
    """(the mistakes named, the lines) where no mistakes reproduce every failing step but those of one depth are
    reproduced apart: code with a path of its own at some depth (a special case for one layer, a loop that goes
    wrong from three layers on). Each depth's failing steps are searched alone, in an equal share of what is left
    of ``DEPTH_SECONDS`` (half of it for the layered tier); None where the failing steps have one depth, or no
    depth's are reproduced by one combination. ``diagnosed``: those of ``values`` the whole run's search read."""
    by_depth: dict[int, list[StepResult]] = {}
    for r in values:
        by_depth.setdefault(r.case.depth, []).append(r)
    if len(by_depth) < 2:
        return None
    lines, keys, until, unnamed = [], (), deadline(DEPTH_SECONDS), []
    for n, (depth, group) in enumerate(sorted(by_depth.items())):
        left = until.left()
        share = left / (len(by_depth) - n)
        with stepmistakes.searching(share / 2):
            found, constant = _tiers(_diagnosed(group), extra, share / 2)
            stopped = not found and left - until.left() >= 0.9 * share     # its share of the time used up
            grown = _one_more(values, diagnosed, found[0]) if n == 0 and len(found) == 1 and constant is None else []
        if grown:
            return grown[0].keys, [g.sentence for g in grown]
        where = f"on the {len(group)} failing step(s) of depth {depth} alone"
        if found and constant is None and len(found) == 1:
            keys += tuple(k for k in found[0].keys if k not in keys)
            lines.append(f"{where}: {found[0].sentence}")
        elif found and constant is None:
            named = ", ".join(f"[{' + '.join(f.keys)}]" for f in found)
            lines.append(f"{where}: equally reproduced by {named} ({_separating(found, group)})")
        elif stopped:                  # a busy machine's share may end before the tiers do (round 66's dark_m2)
            lines.append(f"{where}: no catalogued step mistake reproduced them before this depth's share of the "
                         f"search time ran out (--depth {depth} searches it alone, in the whole time)")
            unnamed = unnamed or group
        else:
            lines.append(f"{where}: no catalogued step mistake reproduces them")
            unnamed = unnamed or group
    if not keys:
        return None
    pattern = layer_line(unnamed[0], unnamed) if unnamed else None    # the first depth left unnamed, smallest
    return keys, ["no catalogued step mistake reproduces every failing step at once; each depth apart (code with a "
                  "path of its own at some depth? --depth D checks one depth):", *lines, *filter(None, [pattern])]


def _one_more(values: list[StepResult], diagnosed: list[StepResult], shallowest: stepmistakes.Found
              ) -> list[stepmistakes.Found]:
    """The mistakes that reproduce the shallowest failing steps alone (``shallowest``) with one catalogued gradient
    mistake more, that reproduce every failing step, each needed: the same code at every depth, one of its mistakes
    acting only from two layers on (a forward pass that hands z up), where no search of the whole run finds them
    (three at the output layer at once)."""
    if not stepmistakes.recomputable(shallowest.keys):
        return []
    tries = stepmistakes.one_more(shallowest.keys, max(r.case.depth for r in values))
    found = _common(diagnosed, lambda r, only: stepmistakes.layered_step(r, tries if only is None else only))
    return _minimal(diagnosed, _broadest(found))


def _stopped_line(diagnosed: list[StepResult]) -> str:
    """The line that says the search ran out of time: smaller nets, where the diagnosed cases had several sizes."""
    line = f"the search stopped at its time limit ({stepmistakes.SEARCH_SECONDS:g} s of CPU time) before trying " \
           "every combination of mistakes"
    if len({r.case.sizes for r in diagnosed}) == 1:
        return f"{line} (every case diagnosed was a {'-'.join(map(str, diagnosed[0].case.sizes))} net)"
    return f"{line}: on smaller nets (--sizes) it tries them all"


def _tiers(diagnosed: list[StepResult], extra, layered_seconds: float | None = None
           ) -> tuple[list[stepmistakes.Found], str | None]:
    """(the mistakes found, the undeclared constant or None): one mistake (``_search``), under another cost
    convention, two of the gradient, under another convention, then two of the gradient with the update order,
    then three or four (``_layered``, in ``layered_seconds`` of its own): the first tier that reproduces every
    diagnosed step wins."""
    def pairs(d: list[StepResult]) -> list[stepmistakes.Found]:
        return _common(d, stepmistakes.gradient_pair_step)

    found, constant = _search(diagnosed, extra), None
    if not found:                # one mistake under another cost convention, before two mistakes of the gradient
        found, constant = _undeclared(diagnosed, lambda d: _search(d, extra))
    if not found:
        found = _broadest(pairs(diagnosed))
    if not found:
        found, constant = _undeclared(diagnosed, pairs)
    if not found:                # a pair of the gradient and the update-order bug: each part needed
        found = _minimal(diagnosed, _broadest(_common(diagnosed, stepmistakes.gradient_pair_updated_first_step)))
    if not found:                # three or four, the output layer's first: each part needed, in time of its own
        found = _layered(diagnosed, layered_seconds)
    return found, constant


LAYERED_CASES = 3    # the steps a layered search starts from in turn (a mistake invisible on one shows on another)


def _layered(diagnosed: list[StepResult], seconds: float | None = None) -> list[stepmistakes.Found]:
    """Three or four mistakes (``stepmistakes.layered_step``) that reproduce every diagnosed step, each needed,
    searched from each of the most telling steps in turn (``_telling``) until one gives them, in time of its own
    (``seconds``, by default ``LAYERED_SECONDS``)."""
    telling = sorted(diagnosed, key=_telling)
    with stepmistakes.searching(stepmistakes.LAYERED_SECONDS if seconds is None else seconds):
        for k in range(min(LAYERED_CASES, len(telling))):
            order = [telling[k], *telling[:k], *telling[k + 1:]]
            found = _minimal(diagnosed, _broadest(_common(order, stepmistakes.layered_step)))
            if found or stepmistakes.out_of_time():
                return [f for f in found if len(f.keys) == min(len(g.keys) for g in found)]   # the fewest
    return []


def _telling(r: StepResult) -> tuple:
    """The order to read steps in for three or more mistakes: first those with a hidden layer and two units or more
    in every hidden layer (a mistake of the hidden layers shows there; on one unit a single number, which many a
    mistake of one factor fits by chance), then two or more outputs as well (a mistake of one unit), the smallest
    first (each hypothesis is a backward pass)."""
    sizes = r.case.sizes
    return (r.case.depth < 2 or min(sizes[1:-1]) < 2, sizes[-1] < 2,
            sum(a * b for a, b in zip(sizes, sizes[1:])) * max(1, r.case.batch))


def _minimal(diagnosed: list[StepResult], found: list[stepmistakes.Found]) -> list[stepmistakes.Found]:
    """``found`` without a combination of which one mistake fewer reproduces every diagnosed step."""
    def needs_all(f: stepmistakes.Found) -> bool:
        subs = list(combinations(f.keys, len(f.keys) - 1))
        fits = [stepmistakes.reproduced(r, subs) for r in diagnosed]
        return not any(all(fit[i] for fit in fits) for i in range(len(subs)))
    return [f for f in found if needs_all(f)]


def _element_line(diagnosed: list[StepResult]) -> tuple[str, str] | None:
    """(key, line) where every diagnosed step moves one element alone wrong and one line of that element
    (``elements``) reproduces its move on each; else None."""
    cases = []
    for r in diagnosed:
        if r.failure.kind != VALUE or not r.failure.arrays or r.inputs is None:
            return None
        params, x, y = r.inputs[:3]
        e = elements.only_element(r.failure.arrays, params)
        if e is None:
            return None
        p = float(np.asarray(params[e.layer - 1][0 if e.array == "W" else 1], np.float64)[e.index])
        cases.append((params, x, y, e._replace(cand=e.cand - p, ref=e.ref - p)))      # moves, not values
    return elements.named(cases, shown=0)                                        # the smallest step


OVERFLOW_CHECKED = 3    # non-finite failing steps the named mistakes are recomputed on, sigma written with exp(-z)


def _nonfinite_reproduced(values: list[StepResult], keys: tuple[str, ...]) -> bool:
    """Whether the first OVERFLOW_CHECKED non-finite failing steps (NaN or inf; at least one) are each reproduced by
    the mistakes ``keys`` with sigma (and sigma') written with exp(-z) as well (NaN where the candidate's is NaN),
    and not by ``keys`` alone computed in the case's dtype (mistakes whose error grows past float32 overflow it
    with any sigma)."""
    nonfinite = [r for r in values if r.failure.kind == NONFINITE][:OVERFLOW_CHECKED]
    return bool(nonfinite) and all(stepmistakes.reproduced(r, [(*keys, "sigma_exp_overflow"), (*keys, IN_CASE_DTYPE)])
                                   == [True, False] for r in nonfinite)   # not an overflow of the mistakes' own


def _overflow_alone(values: list[StepResult]) -> bool:
    """Whether every failing step is non-finite and reproduced by the right gradient with sigma written with exp(-z):
    right code but for the overflow."""
    return all(r.failure.kind == NONFINITE for r in values) and _nonfinite_reproduced(values, ())


def _overflow_also(values: list[StepResult], keys: tuple[str, ...]) -> str | None:
    """A line naming ``sigma_exp_overflow`` beside the mistakes ``keys`` named on the finite failures, where the
    non-finite failing steps are reproduced by ``keys`` with sigma written with exp(-z) (``_nonfinite_reproduced``);
    else None."""
    if "sigma_exp_overflow" in keys or not _nonfinite_reproduced(values, keys):
        return None
    n = sum(r.failure.kind == NONFINITE for r in values)
    return (f"[sigma_exp_overflow] also: the {n} non-finite failing step{'s' * (n > 1)} (NaN or inf) are reproduced "
            f"by the mistake{'s' * (len(keys) > 1)} above with sigma' (and sigma, or not) written with exp(-z): "
            "exp(-z) overflows for z < -88.7 (float32) or -709.8 (float64) and exp(-z)/(1 + exp(-z))^2 is inf/inf = "
            "NaN; write sigma in the two-branch form or as 1/2 + tanh(z/2)/2, and sigma' = a(1 - a)")


def _search(diagnosed: list[StepResult], extra=()) -> list[stepmistakes.Found]:
    """The tiers of ``diagnose_into`` on the ``diagnosed`` failing steps, but for pairs of gradient mistakes:
    the first that reproduces all wins."""
    # A bias line with its own rate, and L2 weight decay's lambda, read off the first diagnosed step that shows
    # them clearly (a saturated or small-eta step may not), then tried on every diagnosed step.
    rate = next((c for d in diagnosed if (c := stepmistakes.bias_rate(d)) is not None), None)
    own_rate = [] if rate is None else stepmistakes.bias_fixed_rate(*rate)
    decay = next((c for d in diagnosed if (c := stepmistakes.decay_rate(d)) is not None), None)
    own_rate += [] if decay is None else [stepmistakes.weight_decay(*decay)]
    whole = next((c for d in diagnosed if (c := stepmistakes.step_rate(d)) is not None), None)
    own_rate += [] if whole is None else [stepmistakes.own_rate(*whole)]

    def updates(r: StepResult, only) -> list[stepmistakes.Found]:
        return stepmistakes.diagnose_step(r, [*own_rate, *(extra(r) if callable(extra) else extra)])

    found = _common(diagnosed, updates)
    if len(found) > 1:                             # a step too small to see reproduces "nothing" too
        found = [f for f in found if f.key != "no_update"]
    if any(f.key.endswith("plus_eta") for f in found):      # a layer that climbs: sigma' negated makes it too
        found += _sign_readings(diagnosed)
    found = found or _common(diagnosed, stepmistakes.gradient_step)
    found = found or _common(diagnosed, stepmistakes.one_layer_gradient_step)
    found = found or _common(diagnosed, stepmistakes.one_example_step)
    found = _broadest(found)
    for tier in (stepmistakes.combined_step, stepmistakes.combined_layer_step):     # the whole network's first
        found = found or _broadest([f for f in _common(diagnosed, tier) if _needed(diagnosed, f.keys)])
    return found


# The gradient mistakes that make some layers' steps climb where an update line's sign would: sigma' written
# a (a - 1), whose signs cancel in every other layer (at depth 2, the output layer climbs and layer 1 is right:
# round 65's qaisar, trask's nonlin with x*(x-1)). Said beside the update reading they equal.
SIGN_READINGS = ("sigma_prime_negated", "hidden_sigma_prime_negated")


def _sign_readings(diagnosed: list[StepResult]) -> list[stepmistakes.Found]:
    """The ``SIGN_READINGS`` that reproduce every diagnosed step, alone or with the update order (an update-order
    bug beside a layer that climbs)."""
    alone = _common(diagnosed, lambda r, only: stepmistakes.gradient_step(r, only, SIGN_READINGS))
    ordered = {f"{k} + updated_next_first" for k in SIGN_READINGS}
    return alone or _common(diagnosed, lambda r, only: stepmistakes.combined_step(
        r, ordered if only is None else only, SIGN_READINGS))


_one_depth: ContextVar[int | None] = ContextVar("one_depth", default=None)   # the depth of every step searched


def _broadest(found: list[stepmistakes.Found]) -> list[stepmistakes.Found]:
    """``found`` without a hypothesis that another of them makes with a key widened to its broader kin (one
    layer's = every layer's; at depth 1 the output layer's, the whole network's: ``mistakes.DEPTH_ONE_BROADER``; at
    depth 2 layer 2's, the output layer's: ``mistakes.DEPTH_TWO_BROADER``), single mistakes and pairs alike."""
    kin = {**stepmistakes.BROADER, **DEPTH_ONE_BROADER} if _one_depth.get() == 1 else dict(stepmistakes.BROADER)
    for k, wider in (DEPTH_TWO_BROADER if _one_depth.get() == 2 else {}).items():
        kin[k] = (*kin.get(k, ()), *wider)
    kept = broadest([tuple(sorted(f.keys)) for f in found], kin)
    return _scoped_first([f for f in found if tuple(sorted(f.keys)) in kept])


def _scoped(narrow: str, wide: str) -> bool:
    """Whether gradient mistake ``narrow`` is ``wide`` made in the hidden layers or the output layer alone."""
    return narrow in (f"hidden_{wide}", f"output_{wide}") or (narrow in ONE_LAYER and ONE_LAYER[narrow].base == wide)


def _scoped_first(found: list[stepmistakes.Found]) -> list[stepmistakes.Found]:
    """``found`` with a combination of several mistakes put before an equal one that makes one of them in every
    layer where this one makes it in a part: beside a mistake that replaces the other part (the output sigma'
    missing), "in every layer" says more than the code does (rounds 72 and 73: zen_m1, rexxum_m1)."""
    def narrower(f: stepmistakes.Found) -> bool:
        return len(f.keys) > 1 and any(len(g.keys) == len(f.keys) and any(
            _scoped(k, w) and set(f.keys) - {k} == set(g.keys) - {w} for k in f.keys for w in g.keys) for g in found)
    return sorted(found, key=lambda f: not narrower(f))


# The constants of the usual cost conventions (sum over the units for the mean: n_L; no 1/2 as well: 2 n_L; the
# batch summed: m), tried where no mistake reproduces a run's steps at the constant it declared (1 where none):
# code whose convention differs from the seed's (or from what was declared) and that makes a mistake as well is
# named with both.
UNDECLARED = tuple(constants.parse_scale(e) for e in ("1", "n_L", "2*n_L", "2", "n_L*m", "2*n_L*m", "m"))


def _undeclared(diagnosed: list[StepResult], search: Callable[[list[StepResult]], list[stepmistakes.Found]]
                ) -> tuple[list[stepmistakes.Found], str | None]:
    """(what ``search`` finds on the steps with the reference times one of the ``UNDECLARED`` constants in place
    of the declared one, that constant's expression) for the first constant that differs from the declared one on
    some diagnosed case and reproduces them all; ([], None) else. A mistake that only scales a step
    (``stepmistakes.is_factor``) is not claimed there: it trades off against the constant (K = 2 n_L with a
    layer's step halved is n_L on one layer)."""
    for expr, rescaled in _rescaled(diagnosed):
        found = [f for f in search(rescaled)
                 if f.key != "no_update" and not any(stepmistakes.is_factor(p) for p in f.keys)]
        if found:
            return found, expr
    return [], None


def _rescaled(diagnosed: list[StepResult]) -> Iterator[tuple[str, list[StepResult]]]:
    """(expression, the steps with the reference times that constant in place of the declared one) for each of the
    ``UNDECLARED`` constants, in order, that differs from the declared one on some diagnosed case."""
    for k in UNDECLARED:
        ks = [k(r.case) for r in diagnosed]
        if any(c != r.scale for c, r in zip(ks, diagnosed)):
            yield k.expr, [r._replace(scale=c, inputs=(*r.inputs[:3], scaled(r.inputs[3], c / r.scale)))
                           for r, c in zip(diagnosed, ks)]


CONSTANT_TRIES = 3   # the simplest constants fitted to the failing steps that are confirmed by a rerun


def confirm_constant_into(report: StepReport, results: list[StepResult], rerun: Callable[[Callable], StepReport]
                          ) -> None:
    """``report.constant``: the constant K relating the candidate's step to the seed's
    (``steppatterns.step_constants``, fitted on every failing step that has a ratio), confirmed by
    ``rerun(scale)``: the run repeated with the reference W - eta K grad W (and cases of other n_L and m where the
    caller adds them) fails no case. The simplest confirmed of the first ``CONSTANT_TRIES`` fits, else None; a
    rerun interrupted (Ctrl-C) ends the search and marks ``report`` interrupted."""
    for k in step_constants(results)[:CONSTANT_TRIES]:
        again = rerun(lambda case, k=k: k.value(*constants.n_L_m(case)))
        if again.interrupted:
            report.interrupted = True
            return
        if again.failed == 0 and again.cases:
            report.constant = k
            if not report.convention_said:
                report.diagnosis = as_constant(report.diagnosis, report.mistakes, k.expr(), ("summed", "mean_twice"))
            return


def _first_fix(probe: list[StepResult], fixes: list[layouts.Fix],
               again: Callable[[layouts.Layout, list[StepResult]], StepReport],
               accepted: Callable[[StepReport], bool]) -> tuple[layouts.Fix, StepReport] | None:
    """The first of ``fixes`` (other layouts, fewest changed fields first) whose rerun of the first PROBE_CASES
    steps of ``probe`` (``again``) is ``accepted``, with that rerun; None where none is, where a call of them was
    lost, or where a rerun was interrupted."""
    if not probe or any(r.failure.lost for r in probe):
        return None
    for fix in fixes:
        rerun = again(fix.layout, probe[:PROBE_CASES])
        if rerun.interrupted:
            return None
        if rerun.cases and accepted(rerun):
            return fix, rerun
    return None


def _probe_layouts(results: list[StepResult], fixes: list[layouts.Fix],
                   again: Callable[[layouts.Layout, list[StepResult]], StepReport]) -> layouts.Fix | None:
    """The first of ``fixes`` under which the first PROBE_CASES failing steps all agree, when there is one:
    evidence for the option a step that crashed on our arrays, or computes another bias form, needs. Not tried
    where every case of one dtype agreed (``features.one_dtype_agrees``)."""
    if one_dtype_agrees(results):
        return None
    found = _first_fix([r for r in results if r.failure is not None], fixes, again, lambda rerun: rerun.failed == 0)
    return None if found is None else found[0]


def _crashes_run(results: list[StepResult], fixes: list[layouts.Fix],
                 again: Callable[[layouts.Layout, list[StepResult]], StepReport]) -> str | None:
    """Beside named mistakes, the line for steps that raised: the first of ``fixes`` under which the first
    PROBE_CASES of them all run, failing on values at most (the named mistakes are still made), when there is one:
    a hint that the crashes are the layout given, not one more mistake."""
    raised = [r for r in results if r.failure is not None and r.failure.kind == RAISED]
    found = _first_fix(raised, fixes, again, lambda rerun: set(rerun.by_kind) <= {VALUE, NONFINITE})
    if found is None:
        return None
    fix, rerun = found
    return (f"the {rerun.form}s that raised ({rerun.cases} of the {len(raised)} tried) run when the candidate is "
            f"given {fix.words()}" + (f" ({m})" if (m := fix.meaning()) else "") + ": the crashes may be that layout "
            "rather than another mistake; rerun with it to check their values")


def _size(r: StepResult) -> tuple:
    return (r.failure.kind != VALUE, sum(a * b for a, b in zip(r.case.sizes, r.case.sizes[1:])), r.case.batch)


def _unsteady(step: Callable, form: forms.Form, layout: layouts.Layout, strict_dtype: bool,
              results: list[StepResult]) -> str | None:
    """The line that says a failing step gave another result when called again on the same case (its params, x,
    y and eta), naming the first array that moved: a step that is not a function of its inputs (a random draw
    inside, state kept between calls) reproduces no mistake; else None."""
    tried = sorted((r for r in results if r.failure is not None and r.failure.kind != SHAPE and r.got is not None
                    and r.inputs is not None), key=_size)         # the smallest first: the case the report shows
    for r in tried[:UNSTEADY_CASES]:
        params, x, y = r.inputs[:3]
        again = call_update(step, form, layout, r.case, params, x, y, How(r.eta), strict_dtype=strict_dtype)
        if again.params is None:
            continue
        u = UNIT_ROUNDOFF[r.case.dtype]
        for l, ((W1, b1), (W2, b2)) in enumerate(zip(r.got, again.params), start=1):
            for name, first, second in (("W", W1, W2), ("b", b1, b2)):
                a, b = np.asarray(first, np.float64), np.asarray(second, np.float64)
                if apart(a, b, 1000 * u * np.maximum(np.abs(a), np.abs(b))):   # not a sum taken in another order
                    return (f"called again on the same case ({r.case.spec()}, eta {r.eta:.6g}) the step gives "
                            f"another {name}^{l}': it is not a function of its inputs (a random draw inside, e.g. "
                            "a buffer or accumulator started with np.random, or state kept between calls), so no "
                            "mistake can be reproduced from them; make the step depend on params, x, y and eta "
                            "alone")
    return None


def _unheard(step: Callable, form: forms.Form, layout: layouts.Layout, strict_dtype: bool,
             results: list[StepResult]) -> list[str]:
    """The line for hidden layers whose update does not change when the layers above them are drawn anew
    (``propagation``), as a one-item list; [] where no failing step tells."""
    def call(r: StepResult, params: list) -> list | None:
        return call_update(step, form, layout, r.case, params, r.inputs[1], r.inputs[2], How(r.eta),
                           strict_dtype=strict_dtype).params

    unheard = propagation.unheard_layers(results, call)
    return [propagation.unheard_line(unheard)] if unheard else []


TARGETS = (1.0, 0.0)        # the constants a target written into the code is tried as, in turn
TARGET_KEY = "target_constant"


def _with_target(r: StepResult, c: float) -> StepResult:
    """The failing step ``r`` checked again as if its target were the constant ``c`` (the reference recomputed for
    y = c, the candidate's own result kept)."""
    params, x, y, _ = r.inputs
    yc = np.full_like(np.asarray(y), c)
    layers = scaled(references([(params, x, yc)], r.case.dtype, r.case.bare)[0], r.scale)
    return check_one(r.case, r.eta, params, x, yc, Update(r.got, r.mode, None, r.wider), layers, r.scale)


def _constant_target(step: Callable, form: forms.Form, layout: layouts.Layout, strict_dtype: bool,
                     results: list[StepResult], name: str) -> tuple[tuple[str, ...], list[str]] | None:
    """Where the step never reads its target (``propagation.target_unheard``): (keys, lines) from the failing steps
    checked again with y replaced by each of ``TARGETS`` in turn: right there, or reproduced by catalogued mistakes
    (round 76's mzph: an output error written 1 - o, with a slip of its own on top); else the probe's line alone.
    None where the step reads y."""
    def call(r: StepResult, y) -> list | None:
        return call_update(step, form, layout, r.case, r.inputs[0], r.inputs[1], y, How(r.eta),
                           strict_dtype=strict_dtype).params

    if not propagation.target_unheard(results, call):
        return None
    unheard = ("the step never reads its target y: called again with y drawn anew, its move is the same to rounding "
               "on every failing step tried, while the reference's changes")
    values = [r for r in results if r.failure is not None and r.failure.kind == VALUE and r.inputs is not None
              and r.got is not None]
    for c in TARGETS:
        wrong = [w for r in values if (w := _with_target(r, c)).failure is not None]
        written = (f"[{TARGET_KEY}] {unheard}; it is the step for the target {c:g} in every unit (the output error "
                   f"written {c:g} - a^L or a^L - {c:g}, y never used)")
        if not wrong:
            return (TARGET_KEY,), [f"{written}: with y = {c:g} every failing step is the right step"]
        keys, said = _searched(name, wrong)
        if keys:
            return (TARGET_KEY, *keys), [f"{written}, and with y = {c:g} the failing steps are "
                                         f"{' + '.join(keys)}'s (below)", *said]
    return (), [f"{unheard}: y never enters the step (no constant target tried, {', '.join(map(str, TARGETS))}, "
                "makes it right or a catalogued mistake's)"]


def check_step(step: Callable, cases: list[Case] | None = None, etas: list[float] | None = None, *,
               examples: int = 2000, seed: int = 0, name: str = "step", layout: layouts.Layout | str = layouts.DEFAULT,
               form: forms.Form = forms.STEP, strict_dtype: bool = False,
               progress: Callable[[int, int], None] | None = None,
               reproduce: Callable[[Case, float], str] | None = None, scale=None,
               find_constant: bool = True, diagnose: bool = True) -> StepReport:
    """Check ``step(params, x, y, eta)`` (one gradient-descent step on one example or a mini-batch, returning the
    new parameters or updating the given arrays in place) against W - eta * mean grad W, b - eta * mean grad b.

    ``cases`` default to ``examples`` random cases from ``seed`` (both dtypes), ``etas`` to ``step.draw_etas``
    (one per case). ``layout`` (a ``layouts.Layout`` or a preset name) and ``form`` as for ``check_grad``; for a
    METHOD form the object is built as ``Class(sizes)``, its weights and biases set, then ``obj.NAME(x, y, eta)``
    is called and the attributes read. ``scale(case)``, when given, is a declared cost convention's constant
    (``constants.Scale``): the step expected is W - eta * K grad W. Without ``scale``, a failing run whose
    steps are all K times the reference's is rerun with K declared (on the cases and ``constants.probes`` of
    other n_L and m) and, when every case then agrees, K is ``StepReport.constant`` (``find_constant=False``
    skips that). A diagnosed run that names no mistake is tried in other layouts (``_probe_layouts``: where its
    smallest failure is a crash or a wrong structure, every layout; where it is values, the other bias forms).
    ``diagnose=False``: neither diagnosis nor probe (a rerun that only counts). Returns a ``StepReport``.
    """
    if isinstance(layout, str):
        layout = layouts.PRESETS[layout]
    if cases is None:
        cases = draw_default(examples, seed)
        if layout.one_example:
            cases = [dataclasses.replace(c, batch=0) for c in cases]
    cases = network_cases(cases, layout)
    if etas is None:
        etas = draw_etas(len(cases), seed)
    if len(etas) != len(cases):
        raise ValueError(f"check_step needs one eta per case: {len(cases)} cases, {len(etas)} etas")
    start = time.perf_counter()
    report = StepReport(name)
    results: list[StepResult] = []
    keeper = Keeper()
    chunks = _chunks(len(cases), cases)
    try:
        for idx, part in zip(chunks, pipeline([[cases[k] for k in idx] for idx in chunks])):
            updates = [call_update(step, form, layout, cases[k], *mat, How(etas[k]),
                                   strict_dtype=strict_dtype) for k, mat in zip(idx, part.mats)]
            ref = source.collect(part.started)
            for j, (k, (params, x, y), upd) in enumerate(zip(idx, part.mats, updates)):
                c = scale(cases[k]) if scale else 1.0
                layers = scaled([ref.layer(j, l) for l in range(len(params))], c)
                results.append(_kept(check_one(cases[k], etas[k], params, x, y, upd, layers, c), keeper))
            if progress:
                progress(len(results), len(cases))
    except KeyboardInterrupt:
        report.interrupted = True
        interrupts.handled()
    summarise(report, results)
    unsteady = _unsteady(step, form, layout, strict_dtype, results) if diagnose and not report.interrupted else None
    if unsteady:                  # no mistake is reproduced from the inputs of a step that is not a function of them
        report.diagnosis = [unsteady]
    elif diagnose:          # (a step that never reads y is searched as the step of a constant target, if any)
        target = (_constant_target(step, form, layout, strict_dtype, results, name)
                  if report.failed and not report.interrupted else None)
        if target is not None and target[0]:
            report.mistakes, report.diagnosis = target
        else:
            diagnose_into(report, results, batches_only=layout.batches_only)
        if report.failed and not report.mistakes and not report.interrupted:
            report.diagnosis = [*(target[1] if target else []), *_unheard(step, form, layout, strict_dtype, results),
                                *report.diagnosis]
    if find_constant and scale is None and report.failed and not report.interrupted:
        first = next(r for r in results if r.failure is not None)
        probes = constants.probes(first.case, layout.one_example)

        def rerun(k: Callable) -> StepReport:
            return check_step(step, cases + probes, etas + [first.eta] * len(probes), name=name, layout=layout,
                              form=form, strict_dtype=strict_dtype, scale=k, find_constant=False, diagnose=False)
        confirm_constant_into(report, results, rerun)

    def again(other: layouts.Layout, probe: list[StepResult]) -> StepReport:
        return check_step(step, [r.case for r in probe], [r.eta for r in probe], name=name, layout=other,
                          form=form, strict_dtype=strict_dtype, scale=scale, find_constant=False, diagnose=False)
    fields = ("weights", "biases", "examples") + (("grads",) if form.kind == forms.FUNCTION else ())
    if diagnose and report.failed and not report.interrupted and (not report.mistakes or report.depths_apart) \
            and not unsteady:                    # (a mistake of one depth alone: a layout may read them all)
        values = report.smallest.failure.kind in (VALUE, NONFINITE)
        fixes = layouts.bias_forms(layout) if values else layouts.variants(layout, fields)
        report.layout_fix = _probe_layouts(results, fixes, again)
        if report.layout_fix is not None:
            report.diagnosis = [report.layout_fix.line(report.form), *report.diagnosis]
    elif diagnose and report.mistakes and not report.interrupted:
        crashes = _crashes_run(results, layouts.variants(layout, fields), again)
        report.diagnosis = [*report.diagnosis, *([crashes] if crashes else [])]
    if report.smallest is not None and reproduce:
        report.reproduce = reproduce(report.smallest.case, report.smallest.eta)
    report.seconds = time.perf_counter() - start
    return report


__all__ = ["IN_PLACE", "RETURNED", "StepReport", "StepResult", "check_step"]
