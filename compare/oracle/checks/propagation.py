"""Whether a hidden layer's step hears from the layers above it: the step called again with every layer above
hidden layer l redrawn (its own W^l, b^l, the layers below, x, y and eta kept), on a failing case.

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


def unheard_layers(results: list, call: Callable) -> tuple[int, ...]:
    """The hidden layers l (1-based) whose move, on every failing step tried where the reference's gradient of W^l
    changes by more than ``CHANGED`` tolerances when the layers above are redrawn, stays the same to rounding:
    ``call(result, params)`` is the candidate's new parameters for ``result``'s x, y and eta from ``params``
    (None where it did not return values). () where no step told."""
    tried = sorted((r for r in results if r.failure is not None and r.failure.kind == VALUE and r.inputs is not None
                    and r.got is not None and len(r.inputs[0]) >= 2),
                   key=lambda r: sum(a * b for a, b in zip(r.case.sizes, r.case.sizes[1:])))[:PROBE_STEPS]
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


def unheard_line(layers: tuple[int, ...]) -> str:
    """The sentence for hidden ``layers`` whose update does not hear the layers above them (``unheard_layers``)."""
    many = len(layers) > 1
    return (f"hidden layer{'s' * many} {', '.join(map(str, layers))}: the update is the same when every layer "
            "above is drawn anew (W^(l+1) up to the output layer, with their biases; the layer's own W, the layers "
            "below, x, y and eta kept), while the reference's changes: no error is propagated back to "
            f"{'them' if many else 'it'} from the output (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) is not "
            "used; the update is computed from what is at hand at that layer, e.g. its own activation against the "
            "target)")


__all__ = ["unheard_layers", "unheard_line"]
