"""A run's failures into what the report leads with: failures counted by kind, the leading kind's failure
shrunk while the same mistake still reproduces it, and the diagnosis.

The report leads with the kind most cases fail with (a crash that most cases hit is what to fix first, even
when a few other cases are merely off by a constant); every other kind gets a line with its count, its first
case and, for values, the mistake that reproduces that case as drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .diagnose import NO_MISTAKE, diagnose
from .mistakes import CATALOGUE, Fit, Trial
from .results import KINDS, NONFINITE, VALUE, Failure
from .shrink import shrink

TRIES = 5          # failing cases of the leading kind tried for a reproduction before giving up


class Explained(NamedTuple):
    """``first``: the leading kind's failure as drawn; ``shrunk``; ``lines`` and ``keys`` of the diagnosis;
    ``by_kind``: kind -> (failing cases, first Failure of that kind), most frequent first."""

    first: Failure
    shrunk: Failure
    lines: list[str]
    keys: tuple[str, ...]
    by_kind: dict[str, tuple[int, Failure]]


def by_kind(failures: list[Failure]) -> dict[str, tuple[int, Failure]]:
    """kind -> (count, first failure of that kind), most frequent first (ties in the order the checks run)."""
    out: dict[str, list] = {}
    for f in failures:
        out.setdefault(f.kind, [0, f])[0] += 1
    order = sorted(out, key=lambda k: (-out[k][0], KINDS.index(k)))
    return {k: (out[k][0], out[k][1]) for k in order}


def _hypotheses(f: Failure) -> list[Fit]:
    return Trial(f.case, f.arrays).explain() if f.kind in (VALUE, NONFINITE) and f.arrays else []


def explain(grad: Callable, failures: list[Failure], counts: dict[str, tuple[int, int]], total_cases: int,
            cost: Callable | None = None, shrink_failure: bool = True) -> Explained:
    """Lead with the most frequent kind; find the catalogued mistake(s) reproducing one of its first ``TRIES``
    cases; shrink that case while the same mistakes still reproduce it, each of them needed; diagnose."""
    kinds = by_kind(failures)
    lead = next(iter(kinds))
    of_lead = [f for f in failures if f.kind == lead]
    first, fits = of_lead[0], []
    for f in of_lead[:TRIES]:
        fits = _hypotheses(f)
        if fits:
            first = f
            break
    shrunk = first
    if shrink_failure and not first.slow:
        if fits:
            def keep(g: Failure) -> bool:
                if g.kind != first.kind or not g.arrays:
                    return False
                trial = Trial(g.case, g.arrays)
                return any(trial.minimal(h.keys) for h in fits)
        else:
            keep = None
        shrunk = shrink(grad, first, cost, keep=keep)
    both = []
    if fits:
        trial = Trial(shrunk.case, shrunk.arrays)
        both = [(h, trial.fit(h.keys)) for h in fits if trial.fit(h.keys).reproduced]
    lines, keys = diagnose(shrunk, counts, total_cases, len(failures), first, both)
    for kind, (n, f) in list(kinds.items())[1:]:
        lines.append(_other_kind_line(kind, n, f))
    return Explained(first, shrunk, lines, keys, kinds)


def _other_kind_line(kind: str, n: int, f: Failure) -> str:
    line = f"also {n} case(s) of kind '{kind}', the first {f.case.spec()}: {f.message}"
    if kind in (VALUE, NONFINITE):
        fits = _hypotheses(f)
        if len(fits) == 1:
            ks = fits[0].keys
            line += (f"; on that case as drawn, recomputing with [{' + '.join(ks)}] reproduces it: "
                     + "; ".join(CATALOGUE[k].text for k in ks))
        else:
            line += f"; {NO_MISTAKE} on that case as drawn"
    return line
