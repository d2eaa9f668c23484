"""Whether a hidden layer's step hears from the layers above it: the step called again with every layer above
hidden layer l redrawn (its own W^l, b^l, the layers below, x, y and eta kept), on a failing case; and whether
the step hears its target y at all (called again with y redrawn).

By the recurrence delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) the reference's move of layer l changes with
W^(l+1), ..., W^L. A candidate whose move of layer l is the same to rounding while the reference's changes by far
more than its tolerance computes that layer's update from what it has at hand at layer l (its own activation
against the target, say): no error is propagated back to it. That is evidence from the candidate's own calls, not a
catalogued mistake recomputed, so it is said where no catalogued mistake reproduces the step (round 70's
mroydeep).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..reference import source
from ..reference.bound import UNIT_ROUNDOFF
from ..verdict.results import VALUE
from ..verdict.values import apart

PROBE_STEPS = 3        # failing steps (smallest first) called again with the layers above each hidden layer redrawn
CHANGED = 1000.0       # the reference's gradient must move by this many tolerances for the probe to tell
SEED = 20261207


def _redrawn(params: list, above: int, rng: np.random.Generator) -> list:
    """``params`` with every layer from index ``above`` up drawn anew (same shapes and dtypes, entries of the
    layer's own spread), the layers below it the same arrays."""
    out = list(params[:above])
    for W, b in params[above:]:
        spread = max(float(np.std(np.asarray(W, np.float64))), 0.5)
        out.append(tuple(np.asarray(rng.standard_normal(np.shape(a)) * spread, dtype=np.asarray(a).dtype)
                         for a in (W, b)))
    return out


def _same_move(first, second, u: float) -> bool:
    """Two moves of one array equal to rounding (``u``: the dtype's unit roundoff), and not both zero."""
    a, b = np.asarray(first, np.float64), np.asarray(second, np.float64)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))) or not np.any(a):
        return False
    return not apart(a, b, 1000 * u * np.maximum(np.abs(a), np.abs(b)))


def _probed(results: list, depth: int = 1) -> list:
    """The failing steps with values (and the inputs and result kept) of at least ``depth`` layers, smallest first,
    ``PROBE_STEPS`` of them: those a probe calls again."""
    return sorted((r for r in results if r.failure is not None and r.failure.kind == VALUE and r.inputs is not None
                   and r.got is not None and len(r.inputs[0]) >= depth),
                  key=lambda r: sum(a * b for a, b in zip(r.case.sizes, r.case.sizes[1:])))[:PROBE_STEPS]


def unheard_layers(results: list, call: Callable) -> tuple[int, ...]:
    """The hidden layers l (1-based) whose move, on every failing step tried where the reference's gradient of W^l
    changes by more than ``CHANGED`` tolerances when the layers above are redrawn, stays the same to rounding:
    ``call(result, params)`` is the candidate's new parameters for ``result``'s x, y and eta from ``params``
    (None where it did not return values). () where no step told."""
    tried = _probed(results, depth=2)
    verdicts: dict[int, list[bool]] = {}
    rng = np.random.default_rng(SEED)
    for r in tried:
        params, x, y, layers = r.inputs
        u = UNIT_ROUNDOFF[r.case.dtype]
        for l in range(1, len(params)):
            probe = _redrawn(params, l, rng)
            ref = source.reference([(probe, x, y)], r.case.dtype, bare=r.case.bare).layer(0, l - 1)
            if not apart(np.asarray(ref.W) * r.scale, layers[l - 1].W, CHANGED * layers[l - 1].tol_W):
                continue                                  # the reference hardly hears the layers above here
            again = call(r, probe)
            if again is None:
                continue
            W = np.asarray(params[l - 1][0], np.float64)
            verdicts.setdefault(l, []).append(_same_move(np.asarray(r.got[l - 1][0], np.float64) - W,
                                                         np.asarray(again[l - 1][0], np.float64) - W, u))
    return tuple(l for l, said in sorted(verdicts.items()) if said and all(said))


def _redrawn_target(y, rng: np.random.Generator) -> np.ndarray:
    """A target of ``y``'s shape and dtype drawn anew in [0.05, 0.95] (away from 0 and 1, where a target written
    as a constant would land)."""
    return np.asarray(rng.uniform(0.05, 0.95, np.shape(y)), dtype=np.asarray(y).dtype)


def target_unheard(results: list, call: Callable) -> bool:
    """Whether the step never reads its target: called again with y drawn anew, the candidate's move stays the same
    to rounding on every failing step tried, while on one of them at least the reference's gradient changes by more
    than ``CHANGED`` tolerances (``call(result, y)``: the candidate's new parameters for ``result``'s params, x and
    eta with target ``y``, None where it did not return values). Round 76's mzph: 1 - o written for y - o, y
    nowhere in the code."""
    tried = _probed(results)
    said, rng = [], np.random.default_rng(SEED)
    for r in tried:
        params, x, y, layers = r.inputs
        y2 = _redrawn_target(y, rng)
        again = call(r, y2)                       # the candidate first: a step that hears y ends the probe here
        if again is None:
            continue
        moves = [(np.asarray(g, np.float64) - p, np.asarray(a, np.float64) - p)
                 for old, first, second in zip(params, r.got, again) for p, g, a in
                 ((np.asarray(old[0], np.float64), first[0], second[0]),
                  (np.asarray(old[1], np.float64), first[1], second[1]))]
        u = UNIT_ROUNDOFF[r.case.dtype]
        if not (any(np.any(m) for m, _ in moves) and all(_same_move(m, n, u) or not np.any(m) and not np.any(n)
                                                         for m, n in moves)):
            return False
        ref = source.reference([(params, x, y2)], r.case.dtype, bare=r.case.bare)
        said.append(any(apart(np.asarray(ref.layer(0, l).W) * r.scale, layers[l].W, CHANGED * layers[l].tol_W)
                        for l in range(len(params))))          # (else the reference hardly hears y here either)
    return any(said)


def unheard_line(layers: tuple[int, ...]) -> str:
    """The sentence for hidden ``layers`` whose update does not hear the layers above them (``unheard_layers``)."""
    many = len(layers) > 1
    return (f"hidden layer{'s' * many} {', '.join(map(str, layers))}: the update is the same when every layer "
            "above is drawn anew (W^(l+1) up to the output layer, with their biases; the layer's own W, the layers "
            "below, x, y and eta kept), while the reference's changes: no error is propagated back to "
            f"{'them' if many else 'it'} from the output (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) is not "
            "used; the update is computed from what is at hand at that layer, e.g. its own activation against the "
            "target)")


__all__ = ["target_unheard", "unheard_layers", "unheard_line"]
