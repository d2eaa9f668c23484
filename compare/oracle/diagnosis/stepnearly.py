"""A step that a catalogued mistake reproduces at every element but one or two: code with that mistake and one
more slip of single elements (an index written wrong on one weight's own line), which no combination in the
catalogue reproduces; or the reverse, a step right at every element but one or two, where a catalogued mistake
reproduces it (that element's own line has the mistake: ``cumul[0] = ...`` where ``+=`` belongs, round 46's
adelms_m3). Said only where no catalogued mistake reproduces the steps, as what was measured: the mistake, and
the elements on the failing steps tried."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import numpy as np

from .mistakes import mistake
from .stepmistakes import STEP_GRADIENT_KEYS, _Hypotheses, out_of_time

NEARLY = 2          # elements of a step a hypothesis may leave apart, at most, to be named as nearly reproducing it


class Nearly(NamedTuple):
    """A gradient mistake ``key`` that reproduces every failing step tried (``steps``) but ``apart`` elements in
    all, ``where`` the commonest of them with the steps it is apart on."""

    key: str
    steps: int
    apart: int
    where: list[tuple[tuple[int, str, tuple[int, ...]], int]]
    alone: bool = False     # the reverse reading: the right step but at ``where``, where the mistake's is met


def nearly(results: list, keys: tuple[str, ...] = STEP_GRADIENT_KEYS) -> list[Nearly]:
    """The gradient mistakes of ``keys`` whose step (with a right update) matches each of the failing
    ``stepcheck.StepResult``s ``results`` at every element but at most NEARLY, leaving some apart, and is visibly
    not the right step elsewhere; those leaving fewest apart, in catalogue order."""
    hs = [_Hypotheses(r) for r in results]
    found = []
    for k in keys:
        if out_of_time():
            break
        where, visible = Counter(), False
        for h in hs:
            got = h.apart((k,), None)
            if got is None or len(got[0]) > NEARLY or len(got[0]) >= _compared(h.result):
                break
            where.update(got[0])
            visible |= got[1]
        else:
            if visible and where:
                found.append(Nearly(k, len(hs), sum(where.values()), where.most_common(3)))
    fewest = min((n.apart for n in found), default=0)
    return [n for n in found if n.apart == fewest]


def _compared(result) -> int:
    """The elements of a failing step compared with the reference (a finite tolerance): a hypothesis that leaves
    them all apart matches none of them (round 56's gcreus at 1-1-1, its b left out beside a wrong shape)."""
    return sum(int(np.isfinite(np.asarray(v.tol_W)).sum() + np.isfinite(np.asarray(v.tol_b)).sum())
               for v in result.failure.arrays)


def alone(results: list, keys: tuple[str, ...] = STEP_GRADIENT_KEYS) -> list[Nearly]:
    """The gradient mistakes of ``keys`` whose step (with a right update) matches each of the failing
    ``stepcheck.StepResult``s ``results`` at every element where the right step does not, where those are at
    most NEARLY elements in all the steps tried: one element's own line has the mistake, every other is right.
    Each such element is one where the mistake's step is not the right one (the candidate is apart from the right
    step there), so the mistake is seen there."""
    hs = [_Hypotheses(r) for r in results]
    right = [h.apart((), None) for h in hs]
    if any(r is None or not r[0] for r in right):
        return []
    where = Counter(e for r in right for e in r[0])
    if len(where) > NEARLY:
        return []
    found = []
    for k in keys:
        if out_of_time():
            break
        for h, (off, _) in zip(hs, right):
            got = h.apart((k,), None)
            if got is None or set(off) & set(got[0]):
                break
        else:
            found.append(Nearly(k, len(hs), sum(where.values()), where.most_common(NEARLY), True))
    return found


def lines(results: list) -> list[str]:
    """The lines of ``alone``'s mistakes, else of ``nearly``'s; [] where neither finds one."""
    found = alone(results)
    if len(found) > 1:
        return [*map(line, found), f"the {len(found)} mistakes above make the same step at those elements"]
    return [line(n) for n in found or nearly(results)]


def line(n: Nearly) -> str:
    """The diagnosis line of ``n``."""
    count = "{} (on {} steps)" if n.alone else "{} on {}"
    at = ", ".join(count.format(f"{a}^{l}[{', '.join(map(str, ix))}]", c) for (l, a, ix), c in n.where)
    if n.alone:
        return (f"[{n.key}] only at {at}: the step is the right one at every other element of the {n.steps} "
                f"failing steps tried, and at these it descends a gradient with this mistake, so that element's own "
                f"line has it (a weight's or bias's line written apart, e.g. = where += belongs) and the same line "
                f"of the other elements does not: {mistake(n.key).text}")
    return (f"[{n.key}] nearly: the step descends a gradient with this mistake at every element of the {n.steps} "
            f"failing steps tried but these ({n.apart} in all): {at}; the elements apart are one more mistake, of "
            f"single elements (a weight's own line), which no catalogued mistake reproduces: {mistake(n.key).text}")
