"""A gradient that one catalogued mistake reproduces at every element but one or two: code with that mistake and
one more slip of single elements (an index written wrong on one weight's own line, round 71's bp_m1: a published
hidden error through the activation, and x1 for x2 in one weight's line), which no combination in the catalogue
reproduces. The gradients' form of ``stepnearly``; said only where no catalogued mistake reproduces the cases, as
what was measured: the mistake, and the elements on the failing cases tried."""

from __future__ import annotations

from collections import Counter

from ..verdict.results import Failure
from .budget import deadline
from .mistakes import CATALOGUE, ONE_LAYER, Trial, mistake
from .stepnearly import NEARLY, Nearly

TRIED = 3           # failing cases (of varied shapes, as the search tried them) a nearly reading must hold on
SECONDS = 10.0      # the CPU time the readings may take


def nearly(failures: list[Failure]) -> list[Nearly]:
    """The catalogued mistakes (of the whole network, or one layer's) whose gradient matches each of the first
    TRIED value ``failures`` at every element but at most NEARLY, leaving some apart, and is visibly not the right
    gradient on some; those leaving fewest apart, in catalogue order, without a one-layer variant of a mistake of
    the whole network also found (the same gradient on these cases)."""
    trials = [Trial(f.case, f.arrays) for f in failures if f.arrays][:TRIED]
    if not trials:
        return []
    depth = min(t.case.depth for t in trials)
    keys = [*CATALOGUE, *(k for k, m in ONE_LAYER.items() if m.layer <= depth)]
    until = deadline(SECONDS)
    found = []
    for k in keys:
        if until.passed():
            break
        where, visible = Counter(), False
        for t in trials:
            off, seen = t.apart((k,))
            if len(off) > NEARLY or 2 * len(off) >= sum(a.size for a in t.ref):   # most elements met, on each case
                break
            where.update(off)
            visible |= seen
        else:
            if visible and where:
                found.append(Nearly(k, len(trials), sum(where.values()), where.most_common(3)))
    fewest = min((n.apart for n in found), default=0)
    found = [n for n in found if n.apart == fewest]
    named = {n.key for n in found}
    return [n for n in found if mistake(n.key).base not in named]    # one layer's variant where the whole is met


def line(n: Nearly) -> str:
    """The diagnosis line of ``n``."""
    at = ", ".join(f"grad {a}^{l}[{', '.join(map(str, ix))}] on {c}" for (l, a, ix), c in n.where)
    return (f"[{n.key}] nearly: the gradient is this mistake's at every element of the {n.steps} failing cases tried "
            f"but these ({n.apart} in all): {at}; the elements apart are one more mistake, of single elements (a "
            f"weight's own line), which no catalogued mistake reproduces: {mistake(n.key).text}")


__all__ = ["line", "nearly"]
