"""Turn a failure into a diagnosis in the seed's notation, claiming a cause only with evidence.

- Structure (a transposed grad W^l, a column grad b^l, a layer too few, a dtype change, a mutated input): the
  failure's own fields are the evidence, and the line names the mistake's key.
- Values: a catalogued mistake (``mistakes``) is named only when recomputing the gradient with it reproduces
  the candidate on the case as drawn and on the shrunk case; mistakes that reproduce only together are named
  together. Otherwise the lines say what pattern was seen (a constant ratio, per-layer constants, which arrays
  are wrong) and that no catalogued mistake reproduces it.
- Arithmetic outside the bound's premise: errors spread over whole arrays at a small normwise level (fast
  or reduced-precision matmuls) are named as that pattern, with the switch that turns such matmuls off.
- A lone element over its tolerance is called wrong only when it is far over it and its error is isolated;
  a few times its tolerance, the line says only what is seen.
- Which cases fail: only batches, only n_L > 1, only deep nets, ...
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case, materialise
from ..cases.limits import SATURATED_SCALES
from ..reference.bound import UNIT_ROUNDOFF
from ..verdict.candidate import per_example_note
from ..verdict.results import (
    ACCURACY,
    DTYPE,
    FORWARD,
    LAYERS,
    MUTATION,
    NONFINITE,
    NOT_A_GRADIENT,
    RAISED,
    SHAPE,
    SIGMOID,
    VALUE,
    Failure,
    LayerValues,
)
from . import elements, gradnearly
from .features import SHARED_WITHIN, SPREAD_MIN_SIZE, ArrayErrors, array_errors
from .mistakes import Fit, mistake

NO_MISTAKE = "no catalogued mistake reproduces this"

NORMWISE = "normwise"          # the key of the normwise pattern (fast or reduced-precision matmuls)
NORMWISE_CEILING = 2.0**-4     # the largest normwise level read as arithmetic: bf16 inputs give ~2^-8 a product,
#                                compounded over the layers up to ~2^-4.5 on 9 in 10 default cases (measured);
#                                a mistake in the equations moves an array by O(1) of its largest element
FAR = 1000.0                   # a lone element this many times its tolerance is no rounding, however ordered
TF32_LEVEL, BF16_LEVEL = 2.0**-11, 2.0**-8   # the relative error of an input rounded to 10 / 7 mantissa bits


class Normwise(NamedTuple):
    """The normwise pattern as measured on the failing cases tried: ``level`` is max |candidate - reference| /
    max |reference| over the arrays of ``case``, the first case tried that shows it; ``low_u`` and
    ``high_u`` the range of that level, in units of each case's own u, over the ``cases`` of ``tried`` cases
    that show it."""

    level: float
    case: Case
    low_u: float
    high_u: float
    cases: int
    tried: int

    @property
    def in_u(self) -> float:
        """``level`` in units of the dtype's unit roundoff u."""
        return self.level / UNIT_ROUNDOFF[self.case.dtype]


class Diagnosis(NamedTuple):
    """``lines`` for a person, most certain first; ``keys``: the mistakes or patterns named as certain
    (reproduced, or read from a failure's fields); ``normwise``: the normwise pattern when seen, else None."""

    lines: list[str]
    keys: tuple[str, ...]
    normwise: Normwise | None = None


def _ratio(pairs) -> float | None:
    """The common ratio candidate/reference over the significant elements of (cand, ref, tol) triples: None
    unless they agree within 1e-2 and within an eighth of their distance from 1 (ratios 1 +- 1e-3 scattered by
    1e-3, as rounding to a coarser precision gives, are no constant)."""
    ratios = []
    for c, r, t in pairs:
        big = np.abs(r) > 1000 * t          # rounding moves these by < 1e-3 relative
        if big.any():
            ratios.append(c[big].astype(np.float64) / r[big])
    if not ratios:
        return None
    ratios = np.concatenate(ratios)
    if not np.all(np.isfinite(ratios)):
        return None
    med = float(np.median(ratios))
    if med == 0 or np.max(np.abs(ratios / med - 1)) > min(1e-2, abs(med - 1) / 8):
        return None     # scattered, or scattered as widely as they stray from 1: noise, not a factor
    return med


def _triples(v: LayerValues):
    return ((v.cand_W, v.ref_W, v.tol_W), (v.cand_b, v.ref_b, v.tol_b))


def _constant_lines(f: Failure) -> list[str]:
    """The ratio candidate/reference of ``f``'s own values: one for every layer, or one per layer."""
    whole = _ratio([t for v in f.arrays for t in _triples(v)])
    if whole is not None:
        return [f"pattern seen on {f.case.describe()}: every gradient is {whole:.6g} times the reference "
                f"(n_L = {f.case.sizes[-1]}, m = {max(f.case.batch, 1)})"]
    per = [(l, _ratio(_triples(v))) for l, v in enumerate(f.arrays, start=1)]
    known = [(l, c) for l, c in per if c is not None and abs(c - 1) > 1e-2]
    if known:
        rest = [l for l, _ in per if l not in dict(known)]
        right = [l for l in rest if l not in f.bad_layers]
        others = ("" if not rest else f"; layer(s) {', '.join(map(str, rest))} right" if right == rest
                  else "; other layers not a constant ratio")
        return [f"pattern seen on {f.case.describe()}: per-layer ratio candidate/reference "
                f"{'; '.join(f'layer {l}: {c:.6g}' for l, c in known)} (n_L = {f.case.sizes[-1]}, "
                f"m = {max(f.case.batch, 1)}{others})"]
    return []


def _level(f: Failure) -> float | None:
    """The largest normwise level (max |candidate - reference| / max |reference|) over ``f``'s arrays when
    every array is within ``NORMWISE_CEILING``; else None (also without values).

    The reason: arithmetic coarser than the bound assumes moves each array by a small fraction of its largest
    element; a mistake in the equations moves some array by a good part of it."""
    levels = [e.level for e in array_errors(f)]
    if not levels or max(levels) > NORMWISE_CEILING:
        return None
    return max(levels)


def _spread(errors: list[ArrayErrors]) -> bool:
    """Every failing array of ``SPREAD_MIN_SIZE`` elements or more (there is at least one) has its failing
    error shared by a good part of the array (``ArrayErrors.spread``): the errors belong to the whole array,
    and the elements that fail are those whose own tolerance is small, not elements that were changed."""
    judged = [e for e in errors if e.failing and e.size >= SPREAD_MIN_SIZE]
    return bool(judged) and all(e.spread for e in judged)


def _factor(f: Failure) -> bool:
    """Some array of ``SPREAD_MIN_SIZE`` elements or more of ``f`` is a constant factor times the reference
    (``_ratio``, a factor other than exactly 1): a factor is a mistake's signature (a scaled layer), not
    rounding's, whose ratios scatter. In a smaller array a common ratio may be a coincidence (one element
    always has one)."""
    ratios = [_ratio([t]) for v in f.arrays for t in _triples(v) if t[1].size >= SPREAD_MIN_SIZE]
    return any(r is not None and r != 1 for r in ratios)


def normwise_level(f: Failure) -> float | None:
    """``f``'s normwise level when its errors show the normwise pattern: spread over whole arrays
    (``_spread``), small against each array's largest element (``_level``), and no array a constant factor
    times the reference (``_factor``); else None."""
    if not f.arrays or _factor(f) or not _spread(array_errors(f)):
        return None
    return _level(f)


def normwise(tried: list[Failure], shrunk: Failure) -> Normwise | None:
    """The normwise pattern, when more than half of the failing cases ``tried`` (as drawn, of varied shapes)
    show it (``normwise_level``) and the shrunk case's errors are as small (``_level``; a shrunk net is too
    small to show spread); else None."""
    levels = [(f, level) for f in tried if (level := normwise_level(f)) is not None]
    if not levels or 2 * len(levels) <= len(tried) or _level(shrunk) is None:
        return None
    f, level = levels[0]
    in_u = [lv / UNIT_ROUNDOFF[g.case.dtype] for g, lv in levels]
    return Normwise(level, f.case, min(in_u), max(in_u), len(levels), len(tried))


def normwise_lines(n: Normwise) -> list[str]:
    """The normwise pattern's lines: what is seen, what the bound assumes, and the switch."""
    seen = (f"[{NORMWISE}] errors spread across whole arrays at a normwise level of {n.level:.2g} of each array's "
            f"largest element ({n.in_u:.3g} u of {n.case.dtype}) on {n.case.describe()}")
    if n.tried > 1:
        seen += (f"; {n.cases} of the {n.tried} failing cases tried show it (levels {n.low_u:.3g} to "
                 f"{n.high_u:.3g} u of each case's dtype)")
    return [seen + (": as fast (Strassen-like) or reduced-precision (TF32/bf16) matmuls give (inputs rounded to "
                    f"TF32's 10 mantissa bits give about 2^-11 = {TF32_LEVEL:.2g}, to bf16's 7 bits about 2^-8 = "
                    f"{BF16_LEVEL:.2g}; a fast product a modest multiple of u); {NO_MISTAKE}"),
            "the bound assumes each product summed in the dtype's own precision from its own terms: an error "
            "that is a fixed fraction of an array's largest element fails the elements small against it first, "
            "and every element once that fraction is far above u; the equations may be right and the arithmetic "
            "not the dtype's",
            "if this is JAX on a GPU, set jax.default_matmul_precision('highest') (or precision=jax.lax.Precision."
            "HIGHEST on each product); in PyTorch, torch.backends.cuda.matmul.allow_tf32 = False (and "
            "torch.backends.cudnn.allow_tf32 = False); elsewhere use a plain matmul in the dtype, not a fast "
            "(Strassen-like) one"]


def _isolated(f: Failure) -> bool:
    """``f``'s failing element is far over its tolerance (``FAR``) and its error is its array's alone: no other
    element's error is within 1/SHARED_WITHIN of it."""
    return (f.ratio or 0.0) >= FAR and all(e.shared <= 1 for e in array_errors(f) if e.failing)


def _array_size(f: Failure) -> int:
    """How many elements the array of ``f``'s failing element holds (0 where unknown): one element of a 1 x 1
    array is the whole array, no sign of something that changes one element alone."""
    if not f.arrays or f.layer is None or f.layer > len(f.arrays):
        return 0
    v = f.arrays[f.layer - 1]
    return int((v.cand_W if f.array == "W" else v.cand_b).size)


def element_line(tried: list[Failure], shrunk: Failure) -> tuple[str, str] | None:
    """(key, line) where each of the ``tried`` failures and the ``shrunk`` one has one element alone wrong and one
    line of that element (``elements``: its input index, its unit's delta, its sigma') reproduces it on each."""
    cases = []
    for g in (*tried, shrunk):
        params, x, y = materialise(g.case)
        e = elements.only_element(g.arrays, params) if g.arrays else None
        if e is None:
            return None
        cases.append((params, x, y, e))
    return elements.named(cases)


def lone_element_line(f: Failure, first: Failure) -> tuple[str | None, str]:
    """(key or None, line) for a failure with exactly one failing element in the drawn (``first``) and the
    shrunk case (``f``). Named ``one_element`` only when the element is isolated (``_isolated``) in both, in an
    array of more than one element in the drawn case: a few times its tolerance, one element is what arithmetic
    outside the bound's premise gives as well as a mistake, and the only element of its array says nothing of
    the others, so the line then says only what is seen."""
    where = f"layer {f.layer}, grad {f.array}[{', '.join(map(str, f.index or ()))}]"
    ratios = f"{first.ratio or 0:.3g} x its tolerance in the drawn case"
    if f.case != first.case:
        ratios += f", {f.ratio or 0:.3g} x in the shrunk one"
    if _isolated(f) and _isolated(first) and _array_size(first) > 1:
        return "one_element", (f"[one_element] exactly one element is wrong ({where}): {ratios}, and no other "
                               f"element's error within 1/{SHARED_WITHIN:g} of it; every other element agrees: "
                               "something changes that element alone, not an equation applied to whole arrays")
    if _array_size(first) == 1:
        return None, (f"one element over its tolerance ({where}): {ratios}; it is the only element of its array in "
                      f"the drawn case too, every other array within its tolerance; {NO_MISTAKE}")
    return None, (f"one element over its tolerance ({where}): {ratios}; every other element within its tolerance; "
                  f"{NO_MISTAKE} (so close to its tolerance, arithmetic outside the bound's premise moves an "
                  "element as far as a mistake does)")


OVERFLOW_CAUSE = ("a math.exp (or a float power) beyond the float range, as sigma written 1/(1 + math.exp(-z)) "
                  "raises for z < -709.8 on saturated units; write sigma in the two-branch form (exp(-|z|)) or as "
                  "1/2 + tanh(z/2)/2, on NumPy arrays")
OVERFLOW_LINE = f"the candidate raised OverflowError (see above): {OVERFLOW_CAUSE}"
_SHAPE = re.compile(r"\((\d+),\s*(\d+)\)")


def transposed_shapes_line(message: str | None, one_off: bool = True, batch: int = 0) -> str | None:
    """A sentence when an exception's ``message`` names two shapes that are each other's transpose ((41,35) and
    (35,41) in a broadcast or matmul error): evidence that an array is used transposed; or two of a broadcast
    error that are one column and one column per example of the case's ``batch`` ((6,1) and (6,7)): a bias's step
    not summed over the batch; or (``one_off``) two that differ by one row or column ((2,1) and (2,3)): a bias
    unit's entry kept or dropped; else None."""
    shapes = [(int(a), int(b)) for a, b in _SHAPE.findall(message or "")]
    pair = next(((a, b) for a, b in shapes if a != b and (b, a) in shapes), None)
    if pair is None and "not aligned" in (message or "") and len(shapes) >= 2:
        (a, b), (c, d) = shapes[:2]            # np.dot's operands: (a, b) . (c, d) needs b == c; the second
        if b != c and b == d:                  # transposed chains (X W for X W^T; a shared first axis, m, says less)
            return (f"the operands ({a}, {b}) and ({c}, {d}) in its message chain once the second is transposed: "
                    "an array used where its transpose belongs (e.g. delta^(l+1) W^(l+1) where delta^(l+1) "
                    "(W^(l+1))^T belongs, in a layout that keeps W^l in-out; on square layers such code runs, and "
                    "a --sizes with those widths equal lets the mistake be named)")
    if pair is None and "broadcast" in (message or "") and (each := _per_example_line(shapes, batch)):
        return each
    if pair is None:                          # a broadcast between arrays one bias unit apart
        return _one_off_line(shapes) if one_off and "broadcast" in (message or "") else None
    a, b = pair
    return (f"the shapes ({a}, {b}) and ({b}, {a}) in its message are each other's transpose: an array is used "
            "transposed where the other belongs (e.g. a grad W computed as a^(l-1) delta^T, of W^T's shape, where "
            "delta^l (a^(l-1))^T, of W^l's, belongs; or W^l where its transpose belongs)")


def _per_example_line(shapes: list[tuple[int, int]], m: int) -> str | None:
    """The sentence for a broadcast of a (n, 1) column against (n, m), or a (1, n) row against (m, n), with ``m``
    the batch size (> 1), else None: the bias's step has one value per example (round 77's mlpc_m2)."""
    pair = next(((p, q) for p in shapes for q in shapes if m > 1 and (p[0] == q[0] and (p[1], q[1]) == (1, m) or
                                                                       p[1] == q[1] and (p[0], q[0]) == (1, m))), None)
    if pair is None:
        return None
    (a, b), (c, d) = pair
    twin = ("; at m = 2 they also differ by one: a bias unit's entry kept or dropped reads the same here, and a "
            "batch of another size tells them apart") if m == 2 else ""
    return (f"the shapes ({a}, {b}) and ({c}, {d}) in its message are a bias's one column (or row) and one per "
            f"example of the batch (m = {m}): a bias step of one value per example, delta^l summed over the layer's "
            "units (np.sum(delta, axis=0) on columns (n_l, m), axis=1 on rows) or not summed at all, where grad b^l "
            f"= delta^l summed over the batch (axis=1 on columns, axis=0 on rows) belongs{twin}")


def _one_off_line(shapes: list[tuple[int, int]]) -> str | None:
    """The sentence for two shapes of a crash that differ by one in one axis alone, else None."""
    pair = next(((p, q) for p in shapes for q in shapes
                 if (p[0] == q[0] and q[1] == p[1] + 1) or (p[1] == q[1] and q[0] == p[0] + 1)), None)
    if pair is None:
        return None
    (a, b), (c, d) = pair
    return (f"the shapes ({a}, {b}) and ({c}, {d}) in its message differ by one row or column: in code that keeps "
            "a bias unit (a 1 appended to the activations, or b folded into W), its entry kept where it must be "
            "dropped or dropped where it must be kept (e.g. the deltas over [a; 1] used without slicing off the "
            "bias unit's); in code without one, arrays of two layers whose widths differ by one meet where one "
            "layer's belong")


def _structural_others(f: Failure, named: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, line) of each other wrong shape of ``f``'s result that names a mistake not in ``named`` (the same
    mistake at another layer is said once, by the first)."""
    found = []
    for s in (_structural(o) for o in f.others):
        if s is not None and s[0] is not None and s[0] not in named:
            found.append(s)
            named += (s[0],)
    return found


def shape_reading(f: Failure) -> tuple[str, str] | None:
    """(key, line) of the catalogued mistake that a wrong shape ``f`` names, else None."""
    s = _structural(f) if f.kind == SHAPE else None
    return (s[0], s[1]) if s is not None and s[0] is not None else None


def _structural(f: Failure) -> tuple[str | None, str] | None:
    """(key or None, line) for a structural failure, read from its fields."""
    if f.kind == FORWARD:
        return None, ("the public forward disagrees with the reference (its shape, dtype, or the cost its a^L "
                      "gives), while grad and cost, which use the internal forward pass, may agree")
    if f.kind == SIGMOID:
        return None, "the public sigmoid differs from sigma computed in long double beyond its error bound"
    if f.kind == ACCURACY:
        return None, ("the public accuracy disagrees with the fraction of examples whose largest a^L, computed in "
                      "long double, is their label (examples whose two largest outputs are within the tolerance "
                      "count either way)")
    if f.kind == SHAPE and f.array == "W":
        n, n_in = f.case.sizes[f.layer], f.case.sizes[f.layer - 1]
        if f.actual_shape == (n_in, n) and n != n_in:
            return "transpose_gradW", (f"[transpose_gradW] grad W^{f.layer} is transposed: grad W^l = delta^l "
                                       f"(a^(l-1))^T has shape (n_l, n_(l-1)) = ({n}, {n_in}), like W^l")
    if f.kind == SHAPE and f.array == "W" and (own := _activation_shape(f)):
        return own
    if f.kind == SHAPE and f.array == "b" and (note := per_example_note(f.actual_shape, f.expected_shape,
                                                                        f.case.batch)):
        return "bias_per_example", f"[bias_per_example] grad b^{f.layer} has shape {f.actual_shape}{note}"
    if f.kind == SHAPE and f.array == "b" and f.case.batch == 0 and math.prod(f.actual_shape) == 1 < \
            f.case.sizes[f.layer]:
        return "bias_summed_by_example", (f"[bias_summed_by_example] grad b^{f.layer} has shape {f.actual_shape}, one "
                                          f"value for one example where the layer has {f.case.sizes[f.layer]} units: "
                                          "delta^l summed over the layer's units (np.sum with no axis, axis=0 on "
                                          "columns (n_l, m), axis=1 on rows (m, n_l)) where the sum over the batch "
                                          "belongs; for one example grad b^l = delta^l")
    if f.kind == SHAPE and f.array == "b" and f.actual_shape == (f.expected_shape[0], 1):
        return "bias_column", (f"[bias_column] grad b^{f.layer} is a column (n_l, 1): return delta^l as a 1-D "
                               "vector of shape (n_l,), like b^l")
    if f.kind == SHAPE and f.actual_shape == () and f.expected_shape == (1,):
        return "width1_squeeze", (f"[width1_squeeze] grad {f.array}^{f.layer} of a width-1 layer is a 0-d scalar: "
                                  "np.squeeze (or a reduction) also dropped the unit axis; keep shape (n_l,) = (1,)")
    if f.kind == SHAPE:
        return None, "a gradient has the wrong shape: each grad W^l must have W^l's shape and each grad b^l b^l's"
    if f.kind == LAYERS and f.fix:
        return None, ("the gradients come in another arrangement than the layout says (the line above names the "
                      "option that reads every shape right): a layout to declare, not a mistake in the math")
    if f.kind == LAYERS:
        return "layer_skipped", ("[layer_skipped] the number of layers is off: a loop over l = L, L-1, ..., 1 that "
                                 "stops early or starts late (grad W^1 = delta^1 x^T is the last one)")
    if f.kind == DTYPE:
        return None, ("the dtype changed: part of the computation ran in another precision (e.g. a float32 constant "
                      "or array inside a float64 computation, or an integer division)")
    if f.kind == MUTATION:
        return "mutates_input", ("[mutates_input] the candidate writes into its inputs (an in-place update such as "
                                 "W -= ... or x /= ..., or a gradient buffer that is the parameter): copy first")
    if f.kind == RAISED:
        if f.cause == "died":
            return None, ("the candidate's process ended during a call (an exit such as os._exit, a crash such as "
                          "a segfault, or a kill): a gradient function must return its result")
        if f.cause == "garbage":
            return None, ("the candidate wrote into the oracle's pipe: a gradient function must only return its "
                          "result")
        if f.lost:
            return None, ("the candidate is too slow or hangs on this case: each call must return within the "
                          "per-call time limit (--time-limit); look for a loop that never ends or waits for input")
        if f.cause == "exit":
            return None, "the candidate calls sys.exit: a gradient function must return its result, not end the program"
        if f.cause == "state":
            return None, ("the candidate changes global state it does not own (np.seterr, np.seterrcall, JAX's x64 "
                          "flag): use a local context such as np.errstate or jax.enable_x64 instead")
        if f.overflow:
            return None, OVERFLOW_LINE
        hint = transposed_shapes_line(f.message, batch=f.case.batch)
        return None, ("the candidate raised an exception on this case (see above): fix the crash first"
                      + (f"; {hint}" if hint else ""))
    if f.kind == NOT_A_GRADIENT:
        return None, "the candidate must return a list of (grad W^l, grad b^l) pairs of arrays, one per layer l = 1..L"
    return None


def _activation_shape(f: Failure) -> tuple[str, str] | None:
    """(key, line) for a grad W^l whose shape is (n_l, n_l) or (n_l, n_(l+1)) where (n_l, n_(l-1)) belongs: the
    layer's own activation, or the next layer's, taken for its input a^(l-1) (the shapes tell it); else None."""
    sizes, l = f.case.sizes, f.layer
    n, n_in = sizes[l], sizes[l - 1]
    if f.actual_shape == (n, n) and n != n_in:
        return "gradW_uses_own_activation", (
            f"[gradW_uses_own_activation] grad W^{l} has shape ({n}, {n}), (n_l, n_l), where (n_l, n_(l-1)) = ({n}, "
            f"{n_in}) belongs: delta^l (a^l)^T, the layer's own activation where its input a^(l-1) belongs")
    if l < len(sizes) - 1 and f.actual_shape == (n, sizes[l + 1]) and sizes[l + 1] not in (n_in, n):
        return "gradW_uses_next_activation", (
            f"[gradW_uses_next_activation] grad W^{l} has shape ({n}, {sizes[l + 1]}), (n_l, n_(l+1)), where (n_l, "
            f"n_(l-1)) = ({n}, {n_in}) belongs: the next layer's activation a^(l+1) where the input a^(l-1) belongs")
    return None


def _where(f: Failure) -> dict[str, str]:
    """Where the backward pass goes wrong in ``f``: {pattern: explanation}."""
    out = {}
    L = f.case.depth
    bad = sorted(f.bad_layers)
    if L > 1 and L not in bad and bad:
        out["hidden"] = (f"the output layer L = {L} is right but hidden layer(s) {', '.join(map(str, bad))} are "
                         "wrong: look at the delta^l recurrence delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l)")
    W_bad = any(not np.all(np.abs(v.cand_W.astype(np.float64) - v.ref_W) <= v.tol_W) for v in f.arrays)
    b_bad = any(not np.all(np.abs(v.cand_b.astype(np.float64) - v.ref_b) <= v.tol_b) for v in f.arrays)
    biases = any(np.isfinite(v.tol_b).any() for v in f.arrays)     # a network without biases compares none
    if W_bad and not b_bad and biases:
        out["W only"] = ("every grad b^l is right but some grad W^l is wrong: delta is right, so look at "
                         "grad W^l = delta^l (a^(l-1))^T")
    if b_bad and not W_bad:
        out["b only"] = ("every grad W^l is right but some grad b^l is wrong: grad b^l = delta^l (summed over the "
                         "batch, then divided by m like grad W)")
    zero = [f"grad {name}^{l}" for l, v in enumerate(f.arrays, start=1)
            for name, c, r, t in (("W", v.cand_W, v.ref_W, v.tol_W), ("b", v.cand_b, v.ref_b, v.tol_b))
            if c.size and not np.any(c) and np.any(np.abs(r) > t)]
    if zero:
        saturated = f.case.scale >= SATURATED_SCALES[f.case.dtype][0] and not f.case.extreme
        out["zero"] = (f"{', '.join(zero)} {'is' if len(zero) == 1 else 'are'} exactly 0 where the reference's "
                       f"{'is' if len(zero) == 1 else 'are'} not, as if never written (a loop that returns or "
                       "stops before that layer, a buffer left at its zeros" + (
                           "; or, on this case's saturated units, sigma' computed as exactly 0: a sigma that "
                           "returns exactly 0 or 1 there, e.g. an int 0 from a per-unit function that np.vectorize "
                           "then makes the whole layer's dtype" if saturated else "") + ")")
    if f.kind == NONFINITE:
        out["nonfinite"] = ("the candidate produced NaN or inf where the reference is finite: an overflow (e.g. "
                            "exp(-z) for very negative z, or inf/inf in sigma') when units saturate")
    return out


CHANCE = 0.01       # how unlikely "none without the feature fails" must be by chance for a feature line


def feature_lines(counts: dict[str, tuple[int, int]], total: int, total_failed: int) -> list[str]:
    """Features that every failing case has while every case without them passes, and not by chance: were
    failing independent of the feature, at its rate among the cases with it (failed / n), none of the total - n
    without it would fail with probability (1 - failed / n)^(total - n); a line needs that below ``CHANCE``
    (14 failures in 449 cases with a feature and none in 51 without it is 0.2: no line)."""
    holds = {name: n for name, (failed, n) in counts.items()
             if total_failed and failed == total_failed and n < total and (1 - failed / n) ** (total - n) < CHANCE}
    return [f"only cases with {name} fail ({total_failed} of {n} such cases; none of the {total - n} without it)"
            f"{FEATURE_HINTS.get(name, '')}" for name, n in holds.items() if REFINED_BY.get(name) not in holds]


# A feature whose line is left out where its refinement's line holds as well: every case of the second has the
# first, so the second says more ("only cases with a batch of m > 1 examples fail", not "with a batch" too).
REFINED_BY = {"a batch (2-D x)": "a batch of m > 1 examples", "depth >= 2": "depth >= 3"}


# What a feature line adds where the feature is most often the layout's, not the math's.
FEATURE_HINTS = {"a single 1-D example": ": code written for batches only? --batches-only sends one example as a "
                                         "batch of one",
                 "depth 1 (no hidden layer)": ": code that needs a hidden layer? --min-depth 2 checks it on the "
                                              "others"}


def reproduced_line(fits: list[tuple[Fit, Fit]], first: Failure, shrunk: Failure) -> str:
    """The line naming a reproduced mistake (or mistakes together), with its evidence on both cases."""
    fd, fs = fits[0]
    keys = fd.keys
    where = f"the case as drawn (worst {fd.worst:.2g} of the reproduction tolerance)"
    if shrunk.case != first.case:
        where += f" and the shrunk case ({fs.worst:.2g})"
    if len(keys) == 1:
        text = f"[{keys[0]}] reproduced: {mistake(keys[0]).text}"
    else:
        parts = "; ".join(f"({i}) [{k}] {mistake(k).text}" for i, k in enumerate(keys, start=1))
        text = f"[{' + '.join(keys)}] reproduced together, {len(keys)} mistakes (none of them alone or fewer): {parts}"
    other = [" + ".join(fd.keys) for fd, _ in fits[1:]]
    also = (f"; equally reproduced by {', '.join(other)}: a case that separates them is needed (where the code runs "
            "only on nets like these, e.g. at one fixed depth, they are the same mistake there)") if other else ""
    return f"{text} (recomputing the gradient with {'it' if len(keys) == 1 else 'them'} matches the candidate on " \
           f"{where}){also}"


def diagnose(f: Failure, counts: dict[str, tuple[int, int]], total_cases: int, total_failed: int,
             first: Failure | None = None, fits: list[tuple[Fit, Fit]] | None = None,
             tried: list[Failure] | None = None) -> Diagnosis:
    """Why ``f`` (the shrunk failure) happened, most certain first.

    ``first`` is the failing case as drawn; ``fits`` are the catalogued mistakes (or combinations) reproduced on
    both, as (fit on ``first``, fit on ``f``). ``counts`` maps each case feature to (failing cases with it,
    cases with it); ``total_cases`` and ``total_failed`` count the run's cases and failures. A value pattern
    without a reproduction is only reported when it holds in both the drawn and the shrunk case (a shrunk case
    is small enough for coincidences). ``tried`` are the failing cases of the leading kind tried for a
    reproduction (as drawn, of varied shapes; default: ``first``): the normwise pattern must hold on most of them.
    """
    s = _structural(f)
    drawn = _structural(first) if first is not None and first.kind == SHAPE else None
    if drawn is not None and drawn[0] == "bias_per_example":
        s = drawn                        # shrunk to one example, the shape no longer shows the batch axis
    first = first if first is not None and first.arrays else f
    lines, keys, seen = [], (), None
    if s:
        key, line = s
        lines.append(line)
        keys = (key,) if key else ()
        for other_key, other_line in _structural_others(f, keys):
            lines.append(other_line)
            keys += (other_key,)
        batch_failed, batch_cases = counts.get("a batch (2-D x)", (0, -1))
        if f.kind == NOT_A_GRADIENT and batch_failed == total_failed == batch_cases:
            keys = ("returns_none_on_batch",)
            lines.insert(0, "[returns_none_on_batch] every batch (2-D x) fails to return a gradient and every single "
                            "example x (n_0,) is right: the batch form is not handled (x of shape (m, n_0), "
                            "a batch's gradient the mean of its examples')")
    if f.arrays:
        seen = None if fits else normwise([t for t in tried or () if t.arrays] or [first], f)
        if fits:
            lines.append(reproduced_line(fits, first, f))
            keys = fits[0][0].keys if len(fits) == 1 else ()
        elif seen is not None:
            keys = (NORMWISE,)
            lines += normwise_lines(seen)
        elif f.bad_elements == 1 and first.bad_elements == 1:
            key, line = element_line([t for t in tried or () if t.arrays] or [first], f) or lone_element_line(f, first)
            keys = (key,) if key else ()
            lines.append(line)
        elif near := gradnearly.nearly([t for t in tried or () if t.arrays and t.kind == VALUE] or [first]):
            keys = ()
            lines += [gradnearly.line(n) for n in near]
        else:
            lines += _constant_lines(first)
            if f.case != first.case:
                lines += _constant_lines(f)
            here, there = _where(f), _where(first)
            lines += [text for key, text in here.items() if key in there]
            lines.append(f"{NO_MISTAKE}: compare the reported element by hand, starting from the highest failing "
                         "layer (where the error enters the backward pass)")
    lines += feature_lines(counts, total_cases, total_failed)
    return Diagnosis(lines, keys, seen)


CRASH_SITES = 3    # the crash sites said beside the one a report leads with, at most


def beside_shape_line(wrong: int, shaped: int, first: Failure, cases: str) -> str:
    """The line that heads the diagnosis of the arrays of the right shape beside a wrong one (``Failure.beside``):
    ``wrong`` of the ``shaped`` failing ``cases`` ("steps", "failing cases") with a wrong shape, ``first`` the first
    such value failure."""
    return (f"beside the wrong shape, the arrays of the right shape are wrong too on {wrong} of the {shaped} {cases} "
            f"with a wrong shape (each wrong array left out), the first: {first.message}; of those arrays alone:")


def other_crashes(failures: list[Failure], shown: Failure | None) -> list[str]:
    """A line for each crash site (``Failure.where``: the exception and the candidate's line) among ``failures``
    other than ``shown``'s, the commonest first, where the report leads with a crash: code that raises at two
    places (a constructor on wide layers, a method on every call) shows only one in its smallest failing case.
    ``shown`` None: every crash site, for a report that leads with a wrong value."""
    if shown is not None and shown.kind != RAISED:
        return []
    sites: dict[str, list[Failure]] = {}
    for f in failures:
        if f.kind == RAISED and f.where and (shown is None or f.where != shown.where):
            sites.setdefault(f.where, []).append(f)
    ranked = sorted(sites.items(), key=lambda site: -len(site[1]))[:CRASH_SITES]
    return [f"also raised {where} on {len(fs)} of the failing cases (the first: --case '{fs[0].case.spec()}')"
            for where, fs in ranked]
