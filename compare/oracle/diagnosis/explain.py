"""A run's failures into what the report leads with: failures counted by kind, the leading kind's failure
shrunk while the same mistake still reproduces it, and the diagnosis.

The report leads with the kind most cases fail with (a crash that most cases hit is what to fix first, even
when a few other cases are merely off by a constant); every other kind gets a line with its count, its first
case and, for values, the mistake that reproduces that case as drawn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from itertools import combinations
from typing import NamedTuple

from ..cases.cases import Case
from ..verdict.convention import SEED, Convention
from ..verdict.results import KINDS, NONFINITE, PARTS, RAISED, SHAPE, VALUE, Failure
from ..verdict.run import run_cases
from .budget import deadline
from .diagnose import (
    NO_MISTAKE,
    OVERFLOW_CAUSE,
    Normwise,
    beside_shape_line,
    diagnose,
    shape_reading,
    transposed_shapes_line,
)
from .mistakes import LAYERED_SECONDS, Fit, Trial, broadest, distinct_lines, mistake
from .shrink import shrink

TRIES = 8          # failing cases of the leading kind, of varied shapes, tried for a reproduction


class Explained(NamedTuple):
    """``first``: the leading kind's failure as drawn; ``shrunk``; ``lines`` and ``keys`` of the diagnosis;
    ``by_kind``: kind -> (failing cases, first Failure of that kind), most frequent first; ``normwise``: the
    diagnosis's normwise pattern (``diagnose.Normwise``) or None."""

    first: Failure
    shrunk: Failure
    lines: list[str]
    keys: tuple[str, ...]
    by_kind: dict[str, tuple[int, Failure]]
    normwise: Normwise | None = None     # the normwise pattern's measured level, when the diagnosis names it


def by_kind(failures: list[Failure]) -> dict[str, tuple[int, Failure]]:
    """kind -> (count, first failure of that kind), most frequent first (ties in the order the checks run)."""
    out: dict[str, list] = {}
    for f in failures:
        out.setdefault(f.kind, [0, f])[0] += 1
    order = sorted(out, key=lambda k: (-out[k][0], KINDS.index(k)))
    return {k: (out[k][0], out[k][1]) for k in order}


Trials = dict[int, Trial]    # one explain's Trial of each failure, by its identity: each recomputation made once


def _trial(f: Failure, trials: Trials) -> Trial:
    """``f``'s Trial, made once per ``explain`` (the lead's choice and the shape-bound probe read the same cases)."""
    if id(f) not in trials:
        trials[id(f)] = Trial(f.case, f.arrays)
    return trials[id(f)]


def _hypotheses(f: Failure, trials: Trials) -> list[Fit]:
    return _trial(f, trials).explain() if f.kind in (VALUE, NONFINITE) and f.arrays else []


SHAPE_BOUND_TRIES = 3    # value cases of varied shapes looked at for a shape-bound mistake behind the crashes
SHAPE_LEADS = frozenset({"bias_summed_by_example"})   # read off a shape; its batches raise (round 77's mlpc_m2)


def _shape_bound_lead(kinds: dict[str, tuple[int, Failure]], failures: list[Failure], trials: Trials) -> str | None:
    """The value kind, when the candidate also raised or returned a wrong shape and one of the value cases' first
    cases of varied shapes has one reproduction (a mistake, or two of two equations), with a mistake that runs
    only where shapes agree (``Mistake.shape_bound``, e.g. W for W^T on square layers) among it: the crashes or
    wrong shapes are its shapes, so the value cases say why. (A case of depth 1, where W^T is never read, shows
    only the other mistakes: so more than the first case is looked at.) Likewise the shape kind, beside crashes,
    when its wrong shape names one of ``SHAPE_LEADS`` (one value of grad b for one example, whose batches raise)."""
    if RAISED not in kinds and SHAPE not in kinds:
        return None
    if RAISED in kinds and SHAPE in kinds and (read := shape_reading(kinds[SHAPE][1])) and read[0] in SHAPE_LEADS:
        return SHAPE
    for kind in (VALUE, NONFINITE):
        of_kind = [f for f in failures if f.kind == kind and f.arrays]
        for f in _varied(of_kind)[:SHAPE_BOUND_TRIES]:
            fits = _hypotheses(f, trials) or _trial(f, trials).pairs()
            if len(fits) == 1 and any(mistake(k).shape_bound for k in fits[0].keys):
                return kind
    return None


def _varied(failures: list[Failure]) -> list[Failure]:
    """Up to ``TRIES`` failures, the first one and then the first of each new combination of n_L > 1, m > 1,
    depth >= 3 and dtype: a mistake hidden on one case (1/n_L when n_L = 1) shows on another."""
    out, seen = [], set()
    for f in failures:
        sig = (f.case.sizes[-1] > 1, f.case.batch > 1, f.case.depth >= 3, f.case.dtype)
        if sig not in seen:
            seen.add(sig)
            out.append(f)
        if len(out) == TRIES:
            break
    return out


class _Choice(NamedTuple):
    first: Failure
    fits: list[Fit]
    needed: bool               # every mistake of the hypothesis is needed on ``first``
    witness: Failure | None    # else: the case drawn for the diagnosis on which each one is needed
    apart: tuple[tuple[str, Failure], ...] = ()   # else: each mistake and a tried case on which it is needed


def _probe(grad: Callable, tried: list[Failure], cost: Callable | None, convention: Convention) -> list[Failure]:
    """When no tried failure has both n_L > 1 and m > 1, the first one redrawn with n_L >= 3 and m >= 4: the
    1/n_L and the batch mean act only there, so a mistake in them cannot hide. A candidate that takes one
    example per call (``Layout.one_example``) is probed with one example: a batch would be misread, and its
    misreading taken for a mistake of the batch mean."""
    one = convention.layout.one_example
    if any(f.case.sizes[-1] > 1 and (one or f.case.batch > 1) for f in tried):
        return []
    c = tried[0].case
    probe = dataclasses.replace(c, sizes=c.sizes[:-1] + (max(c.sizes[-1], 3),), batch=0 if one else max(c.batch, 4))
    return [r.failure for r in run_cases(grad, [probe], cost, convention=convention)
            if r.failure is not None and r.failure.kind in (VALUE, NONFINITE)]


LAYERED_TRIALS = 3      # the cases a layered search of three or more mistakes is tried on, the most telling first


def _informative(t: Trial) -> tuple:
    """The order of cases to search for three or more mistakes: unsaturated first (weights drawn at most 10 times
    the usual scale: a saturated case hides most mistakes), then the deepest, the widest, the largest batch."""
    return (t.case.scale > 10, -t.case.depth, -min(t.case.sizes[1:]), -t.case.batch)


def _choose(tried: list[Failure], probes: list[Failure], memo: Trials) -> _Choice:
    """The hypotheses that fit every tried value failure and probe (a case where one mistake is invisible, e.g.
    n_L = 1, must not hide it), the fewest mistakes first, and the tried case on which each of them is needed."""
    trials = [_trial(f, memo) for f in tried + probes]

    def fitting_all(found) -> list[tuple[str, ...]]:
        return [ks for ks in found if all((f := t.chained(ks)) is not None and f.worst <= 1 for t in trials)]

    found = {h.keys for t in trials for h in t.explain()}
    consistent = fitting_all(found)
    if not consistent:                         # each seen alone on a case of its own (the other invisible there:
        consistent = fitting_all({tuple(sorted({*a, *b})) for a, b in combinations(sorted(found), 2)   # a float32
                                  if distinct_lines({*a, *b})})        # rounding in float32, W^T at depth 1)
    if not consistent and trials:              # two mistakes of the math, found on one case, checked on them all
        widest = max(trials, key=lambda t: (t.case.batch, t.case.sizes[-1]))   # (one mistake alone can fit a
        deepest = sorted((t for t in trials if t is not widest), key=_informative)[:1]   # case where the other
        for t in (widest, *deepest):                                   # is invisible: 1/n_L at n_L = 1, W^T at
            consistent = fitting_all({h.keys for h in t.pairs()})       # depth 1)
            if consistent:
                break
        until = deadline(LAYERED_SECONDS)                               # for all the cases tried
        for t in sorted(trials, key=_informative)[:LAYERED_TRIALS] if not consistent else ():
            consistent = fitting_all({h.keys for h in t.layered(until)})  # three or more, found layer by layer
            if consistent:
                break
    if not consistent:
        return _Choice(tried[0], [], False, None)
    size = min(len(ks) for ks in consistent)
    best = broadest(sorted(ks for ks in consistent if len(ks) == size))
    for f, t in zip(tried, trials):
        if all(t.minimal(ks) for ks in best):
            return _Choice(f, [t.fit(ks) for ks in best], True, None)
    for f, t in zip(probes, trials[len(tried):]):
        if all(t.minimal(ks) for ks in best):
            first = trials[0]
            return _Choice(tried[0], [first.fit(ks) for ks in best], False, f)
    apart = _needed_apart(best[0], tried + probes, trials) if len(best) == 1 else None
    if apart:
        f, t = max(zip(tried, trials), key=lambda p: sum(g is p[0] for _, g in apart))   # where most are needed
        return _Choice(f, [t.fit(best[0])], False, None, apart)
    return _Choice(tried[0], [], False, None)


def _needed_apart(keys: tuple[str, ...], failures: list[Failure], trials: list[Trial]
                  ) -> tuple[tuple[str, Failure], ...] | None:
    """Each of ``keys`` with the first case on which it is needed (the others alone do not reproduce it), where
    every one is needed on some case though none case needs them all (a float32 rounding invisible in float32, W^T
    at depth 1); else None."""
    out = []
    for k in keys:
        rest = set(keys) - {k}
        f = next((f for f, t in zip(failures, trials) if not t.fit(rest).reproduced), None)
        if f is None:
            return None
        out.append((k, f))
    return tuple(out)


def explain(grad: Callable, failures: list[Failure], counts: dict[str, tuple[int, int]], total_cases: int,
            cost: Callable | None = None, shrink_failure: bool = True, convention: Convention = SEED,
            allowed: Callable[[Case], bool] | None = None) -> Explained:
    """Lead with the most frequent kind (or with the value cases whose one reproduction is a shape-bound mistake,
    ``_shape_bound_lead``); find the catalogued mistake(s) reproducing its first cases of varied
    shapes (and a probe drawn when they do not vary in n_L and m); shrink that case while the same mistakes still
    reproduce it, each of them needed; diagnose. ``grad`` (and ``cost``) are called under ``convention``, as the
    run called them; only cases ``allowed`` are shrunk to (``shrink.drawn_space``)."""
    kinds, trials = by_kind(failures), {}
    lead = _shape_bound_lead(kinds, failures, trials) or next(iter(kinds))
    kinds = {lead: kinds[lead], **kinds}                 # the lead first, the others as counted
    of_lead = [f for f in failures if f.kind == lead]
    choice = _Choice(of_lead[0], [], False, None)
    tried = [f for f in _varied(of_lead) if f.arrays] if lead in (VALUE, NONFINITE) else []
    if tried:                                  # (none where every failing case's arrays were too large to keep)
        choice = _choose(tried, _probe(grad, tried, cost, convention), trials)
    first, fits = choice.first, choice.fits
    shrunk = first
    if shrink_failure and not first.lost and first.kind not in PARTS:   # shrinking calls grad, cost
        if fits:
            def keep(g: Failure) -> bool:
                if g.kind != first.kind or not g.arrays:
                    return False
                trial = Trial(g.case, g.arrays)
                return any(trial.minimal(h.keys) if choice.needed else trial.fit(h.keys).reproduced for h in fits)
        else:
            keep = None
        shrunk = shrink(grad, first, cost, keep=keep, convention=convention, allowed=allowed)
    both = []
    if fits:
        trial = Trial(shrunk.case, shrunk.arrays)
        both = [(h, trial.fit(h.keys)) for h in fits if trial.fit(h.keys).reproduced]
    d = diagnose(shrunk, counts, total_cases, len(failures), first, both, tried)
    lines = d.lines
    if both and choice.apart:
        lines.insert(1, "each of these mistakes is needed on a failing case of its own (on others it changes "
                        "nothing): " + "; ".join(f"[{k}] on {f.case.spec()}" for k, f in choice.apart))
    if both and choice.witness is not None:
        lines.insert(1, f"each of these mistakes is needed on {choice.witness.case.spec()} (n_L > 1 and m > 1, a case "
                        "drawn for the diagnosis); on the cases above some of them change nothing")
    for kind, (n, f) in list(kinds.items())[1:]:
        lines.append(_other_kind_line(kind, n, f, [h.keys for h, _ in both], trials))
    keys = d.keys
    behind = _behind_shape(grad, of_lead, cost, convention) if shrink_failure else None
    behind = behind or _beside_shape(grad, of_lead, cost, convention)
    if behind is not None:
        lines += behind[1]
        keys += tuple(k for k in behind[0] if k not in keys)
    return Explained(first, shrunk, lines, keys, kinds, d.normwise)


def _beside_shape(grad: Callable, of_lead: list[Failure], cost: Callable | None, convention: Convention
                  ) -> tuple[tuple[str, ...], list[str]] | None:
    """Where the lead is a shape beside arrays of the right shape that disagree too (``Failure.beside``, each
    wrong array left out): those arrays' diagnosis, unshrunk (a call would fail on the shape again), as (its
    mistakes, its lines); None where they agree or none was compared. The verdict stands on the shape."""
    shaped = [g for g in of_lead if g.kind == SHAPE]
    beside = [g.beside for g in shaped if g.beside is not None]
    if not beside:
        return None
    e = explain(grad, beside, {}, len(beside), cost, False, convention)
    return e.keys, [beside_shape_line(len(beside), len(shaped), beside[0], "failing cases"), *e.lines]


BEHIND_CASES = 1000   # the failing cases of a shape that holds the right number of values, read again in ours


def _behind_shape(grad: Callable, of_lead: list[Failure], cost: Callable | None, convention: Convention
                  ) -> tuple[tuple[str, ...], list[str]] | None:
    """Where the lead is a shape that holds the right number of values (a 0-d scalar for (1,), (n, 1) for (n,)):
    the failing cases whose every wrong shape is such called again and their arrays read in our shapes, so that
    what the shape hides (a mistake in the values, NaN) is diagnosed too: (its mistakes, its lines); None
    elsewhere. The verdict stands on the shape."""
    safe = [g.case for g in of_lead if g.kind == SHAPE and all(_same_values(h) for h in (g, *g.others))]
    if of_lead[0].kind != SHAPE or convention.layout.reshaped or not safe or safe[0] is not of_lead[0].case:
        return None                              # (the first failing case's shapes say what the shape is)
    read = convention._replace(layout=dataclasses.replace(convention.layout, reshaped=True))
    cases = safe[:BEHIND_CASES]
    failed = [r.failure for r in run_cases(grad, cases, cost, convention=read) if r.failure is not None]
    head = "with every array read in our shapes (the same values, reshaped), "
    if not failed:
        return (), [head + f"the {len(cases)} failing cases tried agree: on them the shape is the only mistake"]
    if all(g.kind == SHAPE for g in failed):
        return None
    e = explain(grad, failed, {}, len(cases), cost, True, read)
    return e.keys, [head + f"{len(failed)} of the {len(cases)} failing cases tried still fail:", *e.lines]


def _same_values(f: Failure) -> bool:
    """Whether the wrong shape of ``f`` holds its values in our order: the two shapes differ only by axes of
    length 1 ((1, 1) or () for (1,), (n, 1) for (n,)), so reading it in our shape moves no value (a transposed
    (n_(l-1), n_l) grad W does not qualify, where n_(l-1), n_l > 1)."""
    if f.actual_shape is None or f.expected_shape is None:
        return False
    return [d for d in f.actual_shape if d != 1] == [d for d in f.expected_shape if d != 1]


def _with_overflow(f: Failure, named: list[tuple[str, ...]], trials: Trials) -> list[tuple[str, ...]]:
    """Each of the lead's reproductions ``named`` with sigma written with exp(-z) as well, where that reproduces
    the non-finite failure ``f`` (NaN where the candidate's is NaN): code with a mistake and the naive exp form of
    sigma'."""
    if f.kind != NONFINITE or not f.arrays:
        return []
    trial = _trial(f, trials)
    tries = [tuple(sorted((*ks, "sigma_exp_overflow"))) for ks in named if ks and "sigma_exp_overflow" not in ks]
    return broadest([keys for keys in tries if trial.fit(keys).reproduced])


def _other_kind_line(kind: str, n: int, f: Failure, named: list[tuple[str, ...]], trials: Trials) -> str:
    """The line for the ``n`` failing cases of another ``kind`` than the lead's, the first ``f``: what recomputing
    it with the lead's mistakes ``named`` and sigma written with exp(-z) finds, else a catalogued mistake or two."""
    line = f"also {n} case(s) of kind '{kind}', the first {f.case.spec()}: {f.message}"
    if kind in (VALUE, NONFINITE):
        found = _with_overflow(f, named, trials)     # the lead's mistakes, NaN where sigma' overflows; else one or two
        if not found:
            fits = _hypotheses(f, trials) or (_trial(f, trials).pairs() if f.arrays else [])
            found = broadest(sorted({h.keys for h in fits}))
        if len(found) == 1:
            ks = found[0]
            line += (f"; on that case as drawn, recomputing with [{' + '.join(ks)}] reproduces it: "
                     + "; ".join(mistake(k).text for k in ks))
        elif found:                               # one case can leave two mistakes alike (n_L = 1, depth 2)
            named = ", ".join("[" + " + ".join(ks) + "]" for ks in found)
            line += (f"; on that case as drawn, recomputing with any of {named} reproduces it (a case that "
                     "separates them is needed): " + "; ".join(mistake(ks[0]).text for ks in found))
        else:
            line += f"; {NO_MISTAKE} on that case as drawn"
    elif kind == RAISED and f.overflow:     # the naive exp form of sigma beside the lead's mistake: said, not lost
        line += f"; {OVERFLOW_CAUSE}"
    elif kind == RAISED and (hint := transposed_shapes_line(f.message, batch=f.case.batch)):
        line += f"; {hint}"
    elif kind == SHAPE and (said := shape_reading(f)):   # a shape that names its mistake (round 77's mlpc_m2)
        line += f"; {said[1]}"
    return line
