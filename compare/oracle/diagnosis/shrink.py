"""Shrinking: a failing case made as small as it goes while it still fails (fewer layers, a smaller batch,
narrower layers, scale 1), so the report shows the simplest network that goes wrong."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from ..cases.cases import Case
from ..cases.limits import CHUNK, MAX_BATCH, MAX_DEPTH, MAX_WIDTH
from ..reference.engine import unpadded_needed
from ..verdict.convention import SEED, Convention
from ..verdict.results import Failure
from ..verdict.run import run_cases


def _within_engine(case: Case) -> Case | None:
    """``case`` cut down to the padded engine's limits (its first layers and its output layer, widths and batch
    clipped), when it is beyond them: one leap that costs no compilation, tried before the one-step
    simplifications of a large case, each of which compiles ``jax.grad`` for a shape of its own. None within them."""
    if not unpadded_needed(case.sizes, case.batch):
        return None
    sizes = case.sizes if len(case.sizes) - 1 <= MAX_DEPTH else case.sizes[:MAX_DEPTH] + case.sizes[-1:]
    return dataclasses.replace(case, sizes=tuple(min(n, MAX_WIDTH) for n in sizes), batch=min(case.batch, MAX_BATCH))


def _simpler(case: Case) -> Iterable[Case]:
    """One-step simplifications of ``case``, simplest first: fewer layers, a smaller batch, narrower layers."""
    sizes = case.sizes
    seen = {case}

    def emit(**changes):
        new = dataclasses.replace(case, **changes)
        if new not in seen:
            seen.add(new)
            return [new]
        return []

    out: list[Case] = []
    if len(sizes) > 2:
        for i in range(1, len(sizes) - 1):          # drop hidden layer i
            out += emit(sizes=sizes[:i] + sizes[i + 1:])
        out += emit(sizes=sizes[1:])                 # drop the first layer
        out += emit(sizes=sizes[:-1])                # drop the last layer
    for m in (0, 1, 2, case.batch // 2, case.batch - 1):
        if 0 <= m < case.batch:
            out += emit(batch=m)
    for i, n in enumerate(sizes):
        for smaller in (1, 2, n // 2, n - 1):
            if 1 <= smaller < n:
                out += emit(sizes=sizes[:i] + (smaller,) + sizes[i + 1:])
    if case.scale != 1.0:
        out += emit(scale=1.0)
    return out


def drawn_space(cases: list[Case]) -> Callable[[Case], bool]:
    """Whether a case keeps what every one of several drawn ``cases`` shares: their depth (or at least their least
    depth: ``--min-depth``), each width n_i they share at that depth (all of them under ``--sizes``), their batch
    (``--depth``, ``--sizes``, ``--batch``: a candidate
    checked only there may take nothing else, and a shrunk case outside would fail on that instead). Any case
    when fewer than two were drawn."""
    if len(cases) < 2:
        return lambda case: True
    fields = dict(_FIELDS)
    if len({c.depth for c in cases}) == 1:          # one depth: each width every case shares (``--sizes *-4-3-1``)
        fields.update({f"n_{i}": (lambda c, i=i: c.sizes[i] if i < len(c.sizes) else None)
                       for i in range(cases[0].depth + 1)})
    shared = {f: {get(c) for c in cases} for f, get in fields.items()}
    fixed = {f: next(iter(v)) for f, v in shared.items() if len(v) == 1}
    floor = min(c.depth for c in cases)             # --min-depth: no drawn case is shallower
    return lambda case: case.depth >= floor and all(fields[f](case) == v for f, v in fixed.items())


_FIELDS = {"depth": lambda c: c.depth, "batch": lambda c: c.batch}   # and, at one depth, each width n_i


def shrink(grad: Callable, failure: Failure, cost: Callable | None = None, max_rounds: int = 60,
           keep: Callable[[Failure], bool] | None = None, convention: Convention = SEED,
           allowed: Callable[[Case], bool] | None = None) -> Failure:
    """Greedily simplify the failing case while it still fails the same way; return the simplest failure found.

    "The same way" is ``keep(failure)`` when given (e.g. the same mistake still reproduces it), else the same
    kind: a run whose cases mostly raise must not shrink to the few that are merely off by a factor. ``grad`` and
    ``cost`` are called under ``convention``. Only cases ``allowed`` are tried (``drawn_space``: the fields the
    run fixed). A case beyond the padded engine first tries one leap within it.
    """
    allowed = allowed or (lambda case: True)
    if keep is None:
        kind = failure.kind

        def keep(f: Failure) -> bool:
            return f.kind == kind
    for _ in range(max_rounds):
        leap = _within_engine(failure.case)
        leap = leap if leap is not None and allowed(leap) else None
        found = leap and next((r.failure for r in run_cases(grad, [leap], cost, convention=convention)
                               if r.failure is not None and keep(r.failure)), None)
        if found:
            failure = found
            continue
        candidates = [c for c in _simpler(failure.case) if allowed(c)]
        if not candidates:
            break
        found = None
        for start in range(0, len(candidates), CHUNK):
            found = next((r.failure for r in run_cases(grad, candidates[start:start + CHUNK], cost,
                                                           convention=convention)
                          if r.failure is not None and keep(r.failure)), None)
            if found:
                break
        if found is None:
            break
        failure = found
    return failure
