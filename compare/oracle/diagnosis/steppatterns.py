"""What a failing step looks like, read from its fields: the ratio of the candidate's move to the reference's
(a step exactly K times the right one is a cost convention, ``constants.Constant``), and layer by layer which
layers moved right, which moved by a constant factor and which are wrong.

A step W' = W - eta K grad W moves each element K times as far as the reference W - eta grad W does. The ratio
is read only where the reference's move is far above its tolerance (``SIGNIFICANT`` times), where rounding
moves it by less than 1e-3 relative; a case without such an element has no ratio, and is left out of the fit
rather than ending it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..verdict import constants
from ..verdict.results import NONFINITE, VALUE
from .stepmistakes import ROUNDED_SLACK

SIGNIFICANT = 1000.0     # the reference's move, in tolerances, above which a ratio of moves is read
SCATTER = 1e-2           # the largest relative scatter of the ratios that is still one constant


def _moves(result) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(candidate's move, reference's move, tolerance) per array [W^1, b^1, ...] of a failing step ``result``."""
    params = result.inputs[0]
    out = []
    for (W, b), v in zip(params, result.failure.arrays):
        for p, c, r, t in ((W, v.cand_W, v.ref_W, v.tol_W), (b, v.cand_b, v.ref_b, v.tol_b)):
            p64 = np.asarray(p, np.float64)
            with np.errstate(all="ignore"):
                out.append((np.asarray(c, np.float64) - p64, np.asarray(r, np.float64) - p64, np.asarray(t)))
    return out


def common_ratio(triples) -> float | None:
    """The one ratio candidate's move / reference's move over the significant elements of (move, move, tol)
    triples, or None: no significant element, a non-finite ratio, or ratios scattered beyond ``SCATTER``."""
    ratios = []
    for c, r, t in triples:
        big = np.abs(r) > SIGNIFICANT * t
        if big.any():
            with np.errstate(all="ignore"):
                ratios.append(c[big] / r[big])
    if not ratios:
        return None
    ratios = np.concatenate(ratios)
    if not np.all(np.isfinite(ratios)):
        return None
    med = float(np.median(ratios))
    if med == 0 or np.max(np.abs(ratios / med - 1)) > SCATTER:
        return None
    return med


def _has_values(result) -> bool:
    return (result.failure is not None and result.failure.kind in (VALUE, NONFINITE) and bool(result.failure.arrays)
            and result.inputs is not None)


def step_ratio(result) -> float | None:
    """The ratio of a failing step's move to the reference's, shared by every significant element; else None."""
    return common_ratio(_moves(result)) if _has_values(result) else None


def step_points(results) -> list[tuple[float, int, int]]:
    """(ratio, n_L, m) of every failing step of ``results`` that has a ratio (m: the rows of its mini-batch)."""
    out = []
    for r in results:
        rho = step_ratio(r)
        if rho is not None:
            out.append((rho, r.case.sizes[-1], int(np.atleast_2d(r.inputs[1]).shape[0])))
    return out


def step_constants(results) -> list[constants.Constant]:
    """The constants K (``constants.fit``, simplest first) that relate every failing step with a ratio to the
    reference, when every failure is of values; [] otherwise. A candidate, to be confirmed by a rerun."""
    failing = [r for r in results if r.failure is not None]
    if not failing or any(r.failure.kind != VALUE for r in failing):
        return []
    points = step_points(failing)
    return constants.fit(points) if points else []


RIGHT, STILL, WRONG = "is right", "does not move", "is wrong"


class LayerPattern(NamedTuple):
    """One layer of a failing step, array by array: ``W`` and ``b`` each ``RIGHT`` (every element within its
    tolerance), ``STILL`` (exactly as before the step while the reference moved it beyond its tolerance), a
    float (the array moved that constant times as far as the reference's move) or ``WRONG``."""

    layer: int
    W: str | float
    b: str | float
    units: tuple[int, ...] = ()    # where some units' rows (W^l[j, :], b^l_j) are right: the units wrong

    @property
    def right(self) -> bool:
        return self.W == RIGHT and self.b == RIGHT


def _array_state(p, c, r, t) -> str | float:
    """``RIGHT``, ``STILL``, a ratio or ``WRONG`` for one array: parameters ``p``, candidate's and reference's new
    values ``c``, ``r``, tolerance ``t``."""
    c64, p64 = np.asarray(c, np.float64), np.asarray(p, np.float64)
    with np.errstate(all="ignore"):
        if np.all(np.abs(c64 - r) <= t):
            return RIGHT
        if np.array_equal(np.asarray(c), np.asarray(p)):
            return STILL
        ratio = common_ratio([(c64 - p64, np.asarray(r, np.float64) - p64, np.asarray(t))])
    return WRONG if ratio is None else ratio


def _wrong_units(v) -> tuple[int, ...]:
    """The units j of one layer's ``LayerValues`` whose row W^l[j, :] or b^l_j is outside its tolerance, where
    another unit's is inside: a line written per unit (one unit's delta or sigma'); () where every unit is wrong
    or none is, or the layer has one unit."""
    with np.errstate(all="ignore"):
        bad_W = ~(np.abs(np.asarray(v.cand_W, np.float64) - v.ref_W) <= v.tol_W)
        bad_b = ~(np.abs(np.asarray(v.cand_b, np.float64) - v.ref_b) <= v.tol_b)
    rows = bad_W.any(axis=1) | bad_b
    return tuple(int(j) for j in np.flatnonzero(rows)) if 0 < rows.sum() < rows.size else ()


def layer_patterns(result) -> list[LayerPattern]:
    """Every layer of a failing step ``result`` with values, read from its fields; [] without values. In a network
    without biases (``Case.bare``) a layer is its W: b takes W's state (there is no b to compare), and so it does
    where b was left out of the comparison (an infinite tolerance: its shape wrong beside a W of the right one),
    not "right" (round 56's gcreus_m3, whose b moved without eta)."""
    if not _has_values(result):
        return []
    bare = getattr(result.case, "bare", ())
    out = []
    for l, ((W, b), v) in enumerate(zip(result.inputs[0], result.failure.arrays), start=1):
        w_state = _array_state(W, v.cand_W, v.ref_W, v.tol_W)
        left_out = bool(np.all(np.isinf(np.asarray(v.tol_b))))
        b_state = w_state if l - 1 in bare or left_out else _array_state(b, v.cand_b, v.ref_b, v.tol_b)
        wrong = WRONG in (w_state, b_state) and np.ndim(v.cand_W) == 2
        out.append(LayerPattern(l, w_state, b_state, _wrong_units(v) if wrong else ()))
    return out


RATE_READINGS = ((lambda eta: 1 / eta, "1/eta: eta left out of that line"),
                 (lambda eta: eta, "eta: eta applied twice in that line"))


def _state(s: str | float, eta: float | None = None) -> str:
    """An array's state in words; a ratio that is 1/eta or eta (``RATE_READINGS``, to 1e-3, eta not near 1) read
    as the rate's slip it is."""
    if isinstance(s, str):
        return s
    said = f"moves {s:.6g} times as far as the reference step"
    if f"{s:.6g}" == "1":                       # right to a relative residue, not a factor (round 71's eps)
        said = f"moves 1 {'+-'[s < 1]} {abs(s - 1):.2g} times as far as the reference step (a relative residue)"
    if eta is not None and abs(eta - 1) > 0.01:
        said += next((f" ({words})" for r, words in RATE_READINGS if abs(s / r(eta) - 1) < 1e-3), "")
    return said


def _layer_state(p: LayerPattern, eta: float | None = None) -> str:
    units = ""
    if p.units:
        js = ", ".join(map(str, p.units))
        units = (f" in unit{'s' * (len(p.units) > 1)} {js} alone (W^{p.layer}[j, :] and b^{p.layer}_j for j = {js}; "
                 "its other units are right)")
    if _state(p.W) == _state(p.b):
        return f" {_state(p.W, eta)}{units}"
    return f": W {_state(p.W, eta)}, b {_state(p.b, eta)}{units}"


def _wrong_elsewhere(patterns: list[LayerPattern], others: list) -> list[LayerPattern]:
    """``patterns`` with each layer that is right there but wrong on some of the failing steps ``others`` of the
    same depth made WRONG: one small step whose move at that layer is within its tolerance does not say the layer
    is right (round 47's leomconti at --depth 3: "hidden layer 2 is right" from a 1-1-1-1 step at eta 0.0012)."""
    seen = [layer_patterns(r) for r in others if r.case.depth == len(patterns)]
    out = []
    for p in patterns:
        wrong = any(q[p.layer - 1].W not in (RIGHT, STILL) or q[p.layer - 1].b not in (RIGHT, STILL)
                    for q in seen if q)
        out.append(p._replace(W=WRONG, b=WRONG) if p.right and wrong else p)
    return out


def _varying(patterns: list[LayerPattern], others: list) -> tuple[int, float] | None:
    """The first layer (1-based) whose W or b moves a ratio of the reference's step here and another ratio (beyond
    ``SCATTER``) on one of the failing steps ``others`` of the same depth, with that other ratio; else None: a
    ratio from a sigma' or a bias slip differs from step to step, and must not read as a constant (round 72)."""
    for r in others:
        q = layer_patterns(r) if r.case.depth == len(patterns) else []
        for p, o in zip(patterns, q):
            for a, b in ((p.W, o.W), (p.b, o.b)):
                if isinstance(a, float) and isinstance(b, float) and abs(b / a - 1) > SCATTER:
                    return p.layer, b
    return None


def layer_line(result, others: list = ()) -> str | None:
    """The per-layer, per-array pattern as a line ("the output layer is right, hidden layer 1 is wrong"; "in every
    layer W is right and b is wrong"), when it says more than "every layer is wrong"; None without values. A layer
    is right only where it is on each of ``others`` (failing steps of the same depth) too."""
    patterns = _wrong_elsewhere(layer_patterns(result), list(others))
    if not patterns:
        return None
    where = f"pattern seen on {result.case.describe()}, eta {result.eta:.6g}: "
    kinds = {(_state(p.W), _state(p.b)) for p in patterns}
    coarse = {tuple(k if k in (RIGHT, STILL) else WRONG for k in kind) for kind in kinds}   # ratios as wrong
    ratio = len(kinds) > 1 and any(isinstance(a, float) for p in patterns for a in (p.W, p.b))
    if len(coarse) == 1 and not ratio:     # (a layer that moves a constant times as far, beside wrong ones, is said)
        (w, b), = kinds if len(kinds) == 1 else coarse
        if w == b and w in (WRONG, STILL):
            return None
        if w == b:
            varies = _varying(patterns, others)
            return f"{where}every layer {w}" + (f" (on this step; on another failing step a layer's ratio is "
                                                 f"{varies[1]:.6g}: it varies from step to step, no constant factor)"
                                                 if varies else "")
        batch = ("; grad W is right, so look at grad b^l: delta^l summed over the mini-batch and scaled like grad W")
        single = ("; grad W is right, so look at the bias line itself: b^l - eta delta^l (updated, not assigned) "
                  "with grad b^l = delta^l")
        hint = "" if w != RIGHT else batch if result.case.batch > 1 else single
        return f"{where}in every layer, W {w} and b {b}{hint}"
    L = len(patterns)

    def name(p: LayerPattern) -> str:
        return f"the output layer {L}" if p.layer == L else f"hidden layer {p.layer}"

    parts = [f"{name(p)}{_layer_state(p, result.eta)}" for p in reversed(patterns)]
    varies = _varying(patterns, others)
    if varies:
        parts[-1 - (varies[0] - 1)] += (f" (on this step; on another failing step that ratio is {varies[1]:.6g}: it "
                                         "varies from step to step, no constant factor)")
    hint = ""
    if patterns[-1].right and any(p.units for p in patterns[:-1]):
        hint = ("; the output layer's update is right and only some units of a hidden layer are wrong, so look at "
                "those units' own lines: delta^l_j = sum_k W^(l+1)_kj delta^(l+1)_k * sigma'(z^l_j) for that j (a "
                "line written per unit: its sigma' factor, the weight it reads, its bias line)")
    elif any(isinstance(a, float) and abs(a + 1) < 1e-3 for p in patterns for a in (p.W, p.b)):
        hint = ("; a layer that moves -1 times as far climbs the cost: its error's sign flipped (y - a where a - y "
                "belongs) or +eta in its update")
    elif any(p.W not in (RIGHT, STILL) and p.b == RIGHT for p in patterns) and all(p.b == RIGHT for p in patterns):
        hint = ("; where b is right and W is wrong, delta^l is right (grad b^l = delta^l), so look at what grad W^l = "
                "delta^l (a^(l-1))^T multiplies it by: the layer's input a^(l-1) (x at layer 1), as the forward pass "
                "computed it, or a factor written in the W line alone (code with its W and b lines written apart)")
    elif patterns[-1].right and not all(p.right for p in patterns[:-1]):
        hint = ("; the output layer's update is right, so look at what the hidden layers' updates use: the "
                "recurrence delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l), with the W^(l+1) of the forward pass")
    return f"{where}{'; '.join(parts)}{hint}"


CLIMBING = 0.9      # the share of the failing steps tried whose move points against the reference's, to say so
CLIMB_STEPS = 5     # the failing steps with values, at least, that say so


def climb_line(results) -> str | None:
    """Where no mistake is named: the line that says the step climbs, when at least ``CLIMBING`` of the failing
    steps with values (``CLIMB_STEPS`` at least) move against the reference's move (a negative inner product of
    the two moves over every element): a sign flipped somewhere, whatever else is wrong (round 74's nat_m2)."""
    steps = [r for r in results if _has_values(r)]
    signs = []
    for r in steps:
        c = np.concatenate([m[0].ravel() for m in _moves(r)])
        e = np.concatenate([m[1].ravel() for m in _moves(r)])
        with np.errstate(all="ignore"):
            dot = float(np.dot(np.nan_to_num(c), e))
        if np.all(np.isfinite(c)) and np.any(e):
            signs.append(dot < 0)
    if len(signs) < CLIMB_STEPS or sum(signs) < CLIMBING * len(signs):
        return None
    return (f"the step climbs: on {sum(signs)} of the {len(signs)} failing steps with values its move points against "
            "the reference's (a negative inner product of the two moves over every element), so a sign is flipped "
            "somewhere whatever else is wrong: the output error's against the update's (y - a^L in code that "
            "subtracts its step, a^L - y in code that adds it), +eta, or a sigma' written negated")


DECIMALS = range(13)     # the roundings to k decimals looked for (np.round(v, k)); beyond 12 the grid meets ulp(1)
GRID_ELEMENTS = 8        # the values on a grid, at least, that say so (each well above its own rounding's spacing)


def _grid_test(a: np.ndarray, k: int) -> tuple[int, bool]:
    """(how many elements of ``a`` can tell a grid of 10^-k from float rounding: their spacing a thousand times
    finer; whether each of those is a multiple of 10^-k to within two spacings)."""
    a = np.asarray(a, np.float64)
    a = a[np.isfinite(a)]
    a = a[np.spacing(np.abs(a)) * 1000 < 10.0 ** -k]
    return a.size, bool(np.all(np.abs(a - np.round(a, k)) <= 2 * np.spacing(np.abs(a))))


def decimal_places(results) -> int | None:
    """The fewest decimals k (``DECIMALS``) such that every value of the candidate's new arrays on the float64
    failing steps of ``results`` is a multiple of 10^-k (at least ``GRID_ELEMENTS`` of them fine enough to tell)
    while neither the right step's values nor the parameters given are: code that rounds what it returns
    (np.round(..., k)), not a step that left parameters of a grid of their own where they were; else None. An
    array left out of the comparison (an infinite tolerance) is not read."""
    triples = [(c, r, p) for res in results if res.case.dtype == "float64" and _has_values(res)
               for (W, b), v in zip(res.inputs[0], res.failure.arrays)
               for c, r, t, p in ((v.cand_W, v.ref_W, v.tol_W, W), (v.cand_b, v.ref_b, v.tol_b, b))
               if not np.all(np.isinf(t))]
    for k in DECIMALS:
        cand = [_grid_test(c, k) for c, _, _ in triples]
        if sum(n for n, _ in cand) < GRID_ELEMENTS or not all(on for _, on in cand):
            continue
        if any(_off_grid(r, k) for _, r, _ in triples) and any(_off_grid(p, k) for _, _, p in triples):
            return k
    return None


def _off_grid(a: np.ndarray, k: int) -> bool:
    n, on = _grid_test(a, k)
    return n > 0 and not on


NOT_REPRODUCED_ROUNDED, REPRODUCED_ROUNDED, RIGHT_BUT_ROUNDED = "none", "reproduced", "right"


def decimals_line(k: int, reading: str = NOT_REPRODUCED_ROUNDED) -> str:
    """The diagnosis line of a step rounded to ``k`` decimals (``decimal_places``); ``reading``: with that
    rounding allowed for, no catalogued mistake reproduces the steps, the mistakes below it do, or the right step
    does."""
    allowed = f"with that rounding allowed for (each value within {ROUNDED_SLACK:g}e-{k} more)"
    below = {NOT_REPRODUCED_ROUNDED: "no catalogued mistake is reproduced through that rounding",
             REPRODUCED_ROUNDED: f"the mistakes below reproduce the steps tried {allowed}",
             RIGHT_BUT_ROUNDED: f"{allowed} the steps tried are the right ones, so the rounding is what fails"}[reading]
    return (f"on the float64 steps tried, every value of the candidate's W' and b' is a multiple of 1e-{k}, where "
            f"the right step's are not: the code rounds to {k} decimals (np.round(..., {k}), or values printed and "
            f"read back), which moves each value by up to 5e-{k + 1}, beyond the tolerance wherever eta * grad is "
            f"small: {below}; round only what is shown, never what is computed with, and rerun")


CLIP_STEPS = 2           # failing steps, at least, that show the same bound, for a clip to be read


def clip_bound(results) -> float | None:
    """The bound c where the candidate's new W is clipped to [-c, c] on the failing steps of ``results``: no |W'|
    on any step with values exceeds c, and on at least CLIP_STEPS of them the largest |W'| is c exactly, with the
    right step beyond it on one (code that clips its weights after the step: round 55's prio, np.clip(w, -4, 4));
    the same largest value on steps of different cases is a bound, not their own weights; else None."""
    tops, beyond = [], False
    for res in results:
        if not _has_values(res):
            continue
        pairs = [(np.asarray(v.cand_W, np.float64), np.asarray(v.ref_W, np.float64))
                 for v in res.failure.arrays if not np.all(np.isinf(v.tol_W))]
        if not pairs or not all(np.all(np.isfinite(c)) for c, _ in pairs):
            return None
        top = max(float(np.max(np.abs(c), initial=0.0)) for c, _ in pairs)
        tops.append(top)
        beyond |= any(np.any((np.abs(c) == top) & (np.abs(r) > top)) for c, r in pairs)
    c = max(tops, default=0.0)
    at = [res for res, top in zip([r for r in results if _has_values(r)], tops) if top == c]
    if c <= 0 or len({res.case.spec() for res in at}) < CLIP_STEPS or not beyond:
        return None
    return c


def clip_line(c: float, reading: str = NOT_REPRODUCED_ROUNDED) -> str:
    """The diagnosis line of W clipped to [-c, c] (``clip_bound``); ``reading`` as ``decimals_line``'s."""
    below = {NOT_REPRODUCED_ROUNDED: "no catalogued mistake is reproduced through that clip",
             REPRODUCED_ROUNDED: "with the clip applied to each hypothesis, the mistakes below reproduce the steps "
                                 "tried",
             RIGHT_BUT_ROUNDED: "with the clip applied, the steps tried are the right ones, so the clip is what "
                                "fails"}[reading]
    return (f"on the failing steps tried, no new weight exceeds {c:g} in magnitude and some sit exactly at +-{c:g} "
            f"where the right step goes beyond: the code clips its weights to [-{c:g}, {c:g}] after the step "
            f"(np.clip(W, -{c:g}, {c:g})), which is not gradient descent on the seed's cost: {below}; check the "
            "step without the clip")
