"""A step that a catalogued mistake reproduces at every element but one or two: code with that mistake and one
more slip of single elements (an index written wrong on one weight's own line), which no combination in the
catalogue reproduces. Said only where no catalogued mistake reproduces the steps, as what was measured: the
mistake, and the elements it leaves apart on the failing steps tried."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

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
            if got is None or len(got[0]) > NEARLY:
                break
            where.update(got[0])
            visible |= got[1]
        else:
            if visible and where:
                found.append(Nearly(k, len(hs), sum(where.values()), where.most_common(3)))
    fewest = min((n.apart for n in found), default=0)
    return [n for n in found if n.apart == fewest]


def line(n: Nearly) -> str:
    """The diagnosis line of ``n``."""
    at = ", ".join(f"{a}^{l}[{', '.join(map(str, ix))}] on {c}" for (l, a, ix), c in n.where)
    return (f"[{n.key}] nearly: the step descends a gradient with this mistake at every element of the {n.steps} "
            f"failing steps tried but these ({n.apart} in all): {at}; the elements apart are one more mistake, of "
            f"single elements (a weight's own line), which no catalogued mistake reproduces: {mistake(n.key).text}")
