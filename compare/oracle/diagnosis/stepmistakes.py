"""The catalogue of update mistakes, each a recomputation: a mistake is claimed only when the step computed
*with that mistake* reproduces every element of the candidate's W', b' within the step tolerance
(``bound.step_tolerance`` with the mistake's own coefficient in place of eta).

The recomputations run in float64 from the case's exact inputs: the mean gradient is the reference's
(``jax.grad``), except where the mistake changes the gradient itself (W^{l+1} updated before delta^l used it,
a padded mini-batch), where this module's own backward pass computes it (NumPy, float64; it shares nothing
with the backends).

When no update mistake reproduces a failing step, the gradient mistakes of ``mistakes.CATALOGUE`` are tried
in a right update (``gradient_step``: the step of a backprop with that mistake), then each of them together with
each update mistake (``combined_step``: e.g. sigma'(z^L) left out *and* W^{l+1} updated before delta^l used it).
A recomputed gradient is held to the reproduction tolerance (``bound.reproduction_tolerance``, as ``mistakes.fit``
reads it) carried through the step's tolerance, and it must change the step beyond the tolerances somewhere
(a mistake that changes nothing on a case explains nothing there).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from itertools import combinations
from typing import NamedTuple

import numpy as np

from ..reference.bound import UNIT_ROUNDOFF, reproduction_tolerance, step_tolerance
from .budget import NEVER, Deadline, deadline
from .mistakes import BROADER as GRADIENT_BROADER
from .mistakes import (
    CATALOGUE,
    CONSTANT_SLOTS,
    DROPS_EXAMPLES,
    DTYPE_BOUND,
    HIDDEN_LAYERS,
    IN_CASE_DTYPE,
    MAX_KEPT,
    ON_PURPOSE,
    ONE_LAYER,
    OUTPUT_LAYER,
    distinct_lines,
    mistake,
    recompute,
)
from .mistakes import LAYERED_SECONDS as LAYERED_SECONDS  # read here by stepcheck, set by tests


class StepMistake(NamedTuple):
    """A catalogued mistake: ``key``, the ``sentence`` that names it in the seed's notation, and ``compute``,
    which returns the parameters a step with that mistake gives, [(W', b'), ...] float64, or None when the
    mistake does not apply to the case, with the coefficient of the gradient it used (for the tolerance) and,
    optionally third, a tolerance [(tol W', tol b')] to add for other terms it summed (``accumulated``).
    ``broader``: the keys of mistakes that make the same step where this one applies on some nets (one layer's
    where the net has that one layer): where one of them reproduces too, it is named instead (``BROADER``).
    ``factor``: the mistake only scales the step, or one layer's or array's step, by a constant (eta twice, one
    layer halved): under another cost convention's constant it trades off against it. ``rates``: for the
    update-order bug with one layer's rate slipped, each layer's rate on the case (a tuple, None where the mistake
    does not apply), so that a gradient mistake combines with it (``_Hypotheses.fit``)."""

    key: str
    sentence: str
    compute: Callable
    broader: tuple[str, ...] = ()
    factor: bool = False
    rates: Callable | None = None        # W^(l+1) updated first, each layer at its own rate: StepInputs -> rates
    rates_b: bool = True                 # those rates in each b line too (False: every b line at eta)
    count: int = 1                       # the update mistakes it stands for (two slips of one step: 2)


class Found(NamedTuple):
    """A mistake, or mistakes together, that reproduce the candidate: its key and sentence, and ``parts``, the
    catalogue keys it is made of (``(key,)`` for one mistake; step keys here, gradient keys of ``mistakes``)."""

    key: str
    sentence: str
    parts: tuple[str, ...] = ()
    visible: bool = True     # it changes the step beyond the tolerances on this case (else: within them only)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.parts or (self.key,)


class StepInputs(NamedTuple):
    """What a recomputation needs: params [(W, b)] float64, X (m, n_0), Y (m, n_L), eta, m, the reference
    mean gradients ``g`` [(gW, gb)] float64 (already times ``k``), and ``k``, the declared cost convention's
    constant on this case (``--scale``; 1 for the seed's cost): a recomputation that runs its own backward pass
    must scale its gradient by it too."""

    params: list
    X: np.ndarray
    Y: np.ndarray
    eta: float
    m: int
    g: list
    k: float = 1.0


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def activations(params, X) -> list:
    """a^0 = X, a^1, ..., a^L for the rows of X (m, n_0): the seed's forward pass, float64 in, float64 out."""
    acts = [X]
    for W, b in params:
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    return acts


def _forward_delta(params, X, Y):
    """a^0..a^L for the rows of X, and delta^L of the mean cost, (1/(n_L m)) (a^L - y) * sigma'(z^L)."""
    acts = activations(params, X)
    return acts, (acts[-1] - Y) / Y.shape[1] * acts[-1] * (1 - acts[-1]) / X.shape[0]


def backward_updating(params, X, Y, eta: float, top_only: bool = False, rates: dict[int, float] | None = None,
                      recompute_top: bool = False) -> list:
    """The step of code that updates W^l, b^l inside the backward loop, so that delta^{l-1} = (W^l)^T delta^l
    * sigma'(z^{l-1}) uses the *updated* W^l (float64, mean over the m rows); ``top_only``: only the output
    layer's W^L is updated before delta^{L-1} uses it, every lower recurrence uses the forward pass's W^l;
    ``rates``: a layer's (0-based) own rate in place of ``eta``, a second mistake in that layer's update;
    ``recompute_top``: the delta^L passed down is written again from the updated W'^L (and b'^L, where the net has
    biases), (1/n_L)(a^L - y) * sigma'(W'^L a^(L-1) + b'^L), a^L kept from the forward pass."""
    acts, delta = _forward_delta(params, X, Y)
    L = len(params)
    new = [None] * L
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        e = (rates or {}).get(l, eta)
        new[l] = (W - e * (delta.T @ acts[l]), b - e * delta.sum(axis=0))
        if l and recompute_top and l == L - 1:
            s = _sigmoid(acts[l] @ new[l][0].T + (new[l][1] if np.any(b) else b))       # b = 0: no biases
            delta = (acts[-1] - Y) / Y.shape[1] * s * (1 - s) / X.shape[0]
        if l:
            delta = (delta @ (new[l][0] if l == L - 1 or not top_only else W)) * acts[l] * (1 - acts[l])
    return new


def mean_gradient(params, X, Y) -> list:
    """The seed's mean gradient, float64 (for batches the reference did not compute: a padded mini-batch)."""
    acts, delta = _forward_delta(params, X, Y)
    out = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        out[l] = (delta.T @ acts[l], delta.sum(axis=0))
        if l:
            delta = (delta @ params[l][0]) * acts[l] * (1 - acts[l])
    return out


def _scaled(coef_of: Callable) -> Callable:
    def compute(i: StepInputs):
        coef = coef_of(i)
        if coef is None:
            return None
        return [(W - coef * gW, b - coef * gb) for (W, b), (gW, gb) in zip(i.params, i.g)], coef
    return compute


_right = _scaled(lambda i: i.eta)        # the right step, W - eta grad W and b - eta grad b


def _bias_at(rate_of: Callable, w_rate_of: Callable = lambda i: i.eta) -> Callable:
    """b's step taken at the rate ``rate_of(inputs)`` (0: not updated, -eta: climbing, a rate of its own) instead
    of eta; W's at ``w_rate_of(inputs)`` (default eta: right)."""
    def compute(i: StepInputs):
        c, cw = rate_of(i), w_rate_of(i)
        return [(W - cw * gW, b if c == 0 else b - c * gb) for (W, b), (gW, gb) in zip(i.params, i.g)], \
            max(abs(c), abs(cw), i.eta)
    return compute


def _bias_replaced(i: StepInputs):
    """W's step right, b' = -eta grad b: the update assigned to b instead of added to it."""
    return [(W - i.eta * gW, -i.eta * gb) for (W, b), (gW, gb) in zip(i.params, i.g)], i.eta


def _bias_per_input(i: StepInputs):
    """Each layer's b step n_(l-1) times the right one, its W's right: the bias line inside the loop over the
    layer's inputs k, run once per weight (round 76's siec). Its n_(l-1) roundings of b compound: each one's is
    added (float32's at most, as the per-example epoch step's)."""
    u = UNIT_ROUNDOFF["float32"]
    out = [(W - i.eta * gW, b - i.eta * W.shape[1] * gb) for (W, b), (gW, gb) in zip(i.params, i.g)]
    more = [(0.0, 2 * W.shape[1] * u * (np.abs(b) + i.eta * W.shape[1] * np.abs(gb))) for (W, b), (_, gb)
            in zip(i.params, i.g)]
    return out, i.eta * max(W.shape[1] for W, _ in i.params), more


def _reversed(part: str) -> Callable:
    """The ``part`` ("b", "W" or "Wb") line's operands swapped: eta grad - old, the negative of the right new
    array (``Sub(gradient, b)`` for ``Sub(b, gradient)``, round 71's evaldo); the other line right."""
    def compute(i: StepInputs):
        return [(i.eta * gW - W if "W" in part else W - i.eta * gW, i.eta * gb - b if "b" in part else b - i.eta * gb)
                for (W, b), (gW, gb) in zip(i.params, i.g)], i.eta
    return compute


def _skip(l: int) -> Callable:
    """Layer ``l`` (0-based; -1: the output layer) not updated, every other layer's step right."""
    return _skipping(_right, l)


def _only_first(k: int) -> Callable:
    """Layers 1..k updated, every layer above left as it was; None on a net of k layers or fewer (the right step)."""
    def compute(i: StepInputs):
        if len(i.params) <= k or (out := _right(i)) is None:
            return None
        return [p if j < k else i.params[j] for j, p in enumerate(out[0])], out[1]
    return compute


def _updated_first_any_depth(i: StepInputs):
    """``_updated_first``, or at depth 1 (no W above to update first) the right step."""
    return _updated_first(i) or _right(i)


def _skipping(compute: Callable, l: int) -> Callable:
    """``compute``'s step with layer ``l`` (0-based; -1: the output layer) left as it was: a second mistake, a
    loop bound that misses that layer, on top of the first."""
    def skipped(i: StepInputs):
        if l >= len(i.params) or (out := compute(i)) is None:
            return None
        k = l % len(i.params)
        return [i.params[k] if j == k else p for j, p in enumerate(out[0])], out[1]
    return skipped


# One layer's step alone a factor off, every other layer's right: (key suffix, factor of eta from the inputs,
# the factor in words, why code does it).
LAYER_FACTORS = {
    "times_m": (lambda i: i.eta * i.m, "m", "eta m", "is summed over the mini-batch where the others are averaged"),
    "over_m": (lambda i: i.eta / i.m, "1/m", "(eta / m)", "is divided by m once more than the others'"),
    "plus_eta": (lambda i: -i.eta, "-1", "(-eta)", "has its sign flipped: it climbs the cost where the others "
                 "descend"),
    "half": (lambda i: i.eta / 2, "1/2", "(eta / 2)", "carries a stray 1/2 in its error or update"),
    "double": (lambda i: 2 * i.eta, "2", "2 eta", "carries a factor 2 the others lack (d/da (a - y)^2, or eta "
               "written twice)"),
    "no_eta": (lambda i: 1.0, "1/eta", "1", "has no learning rate: the gradient itself is subtracted where the "
               "others' is times eta"),
    "eta_twice": (lambda i: i.eta * i.eta, "eta", "eta^2", "applies the learning rate twice (eta in its delta "
                  "and again in the update)"),
    "still": (lambda i: 0.0, "0", "0", "is missing: that array is never updated"),
}
ARRAY_ONLY = ("still",)     # kinds made for one array of a layer alone (a whole layer still is skipped_layer_l)


def _layer_times(l: int, coef_of: Callable, part: str = "Wb") -> Callable:
    """Layer l's step alone (0-based; -1: the output layer) with the coefficient ``coef_of(inputs)`` in place of
    eta in its W and b (``part`` "Wb"), or in one of them ("W", "b"), every other step right."""
    def compute(i: StepInputs):
        if l >= len(i.params):
            return None
        c = coef_of(i)
        cW, cb = (c if "W" in part else i.eta), (c if "b" in part else i.eta)
        return [(W - cW * gW, b - cb * gb) if k == l % len(i.params) else (W - i.eta * gW, b - i.eta * gb)
                for k, ((W, b), (gW, gb)) in enumerate(zip(i.params, i.g))], max(abs(c), i.eta)
    return compute


WHOLE_STEP = {"times_m": "summed", "over_m": "mean_twice", "plus_eta": "plus_eta",     # every layer's step alike
              "no_eta": "eta_missing", "eta_twice": "eta_twice"}


def _layer_words(l: int) -> tuple[str, str, str]:
    """Layer l (0-based; -1: the output layer) in a sentence, as a superscript, and in a key."""
    return ("the output layer", "L", "output_layer") if l < 0 else (f"layer {l + 1}", f"{l + 1}", f"layer_{l + 1}")


def _one_array(l: int, kind: str, part: str) -> StepMistake:
    """One layer's W step alone (``part`` "W") or b step alone ("b") a factor (``LAYER_FACTORS[kind]``) off, every
    other step right (one line of a layer's update written apart). Its broader kin: the same layer's both arrays,
    and the output layer's (as ``_one_layer``'s)."""
    coef_of, factor, move, why = LAYER_FACTORS[kind]
    name, sup, where = _layer_words(l)
    other = "b" if part == "W" else "W"
    whole = {("still", "b"): "bias_not_updated", ("no_eta", "b"): "bias_no_eta", ("plus_eta", "b"): "bias_plus_eta",
             ("no_eta", "W"): "weights_no_eta"}
    broader = (f"{where}_{kind}",) + (() if l < 0 else (f"output_layer_{part}_{kind}",)) + (
        (whole[kind, part],) if (kind, part) in whole else ())     # at depth 1, every layer's b (or W)
    return StepMistake(f"{where}_{part}_{kind}", f"{name}'s {part} step alone is {factor} times the right one: "
                       f"{part}^{sup}' = {part}^{sup} - {move} grad {part}^{sup}, while its {other} and every other "
                       f"layer's step are right (that line of the update {why.split(':')[0]})",
                       _layer_times(l, coef_of, part), broader, factor=True)


LAST_ONLY = {"W_last_unit_only": ("W", 0, "the row of its last unit, W^{sup}[-1, :]", "the loop over the layer's "
                                  "units j"),
             "W_last_input_only": ("W", 1, "the column of its last input, W^{sup}[:, -1]", "the loop over the "
                                   "layer's inputs k"),
             "b_last_unit_only": ("b", 0, "the last unit's b^{sup}[-1]", "the loop over the layer's units j")}


def _last_only(l: int, kind: str) -> StepMistake:
    """One layer's W (or b) updated at its last unit's row (or last input's column) alone, every other step right:
    an update line indented one level out of the loop that computes it, run once with the loop's last index
    (round 72's srishti: only the last hidden unit's incoming weights move)."""
    part, axis, which, loop = LAST_ONLY[kind]
    name, sup, where = _layer_words(l)

    def compute(i: StepInputs):
        if l >= len(i.params):
            return None
        out = [(W - i.eta * gW, b - i.eta * gb) for (W, b), (gW, gb) in zip(i.params, i.g)]
        (W, b), (gW, gb) = i.params[l], i.g[l]
        moved = (W if part == "W" else b).copy()
        g = gW if part == "W" else gb
        index = (slice(None),) * axis + (-1,)
        moved[index] -= i.eta * g[index]
        out[l % len(i.params)] = (moved, b - i.eta * gb) if part == "W" else (W - i.eta * gW, moved)
        return out, i.eta
    broader = () if l < 0 else (f"output_layer_{kind}",)
    return StepMistake(f"{where}_{kind}", f"{name}'s {part} is updated at {which.format(sup=sup)} alone, the rest of "
                       f"{part}^{sup} never moves, every other step right: the update line sits after {loop} (indented "
                       "one level out), so it runs once, with the loop's last index", compute, broader)


def _updated_first_one_layer(l: int, kind: str, part: str = "Wb") -> StepMistake:
    """Two update mistakes: W^(l+1) updated before delta^l uses it (``updated_next_first``), and one layer's rate a
    factor (``LAYER_FACTORS[kind]``) off, in its update (both arrays, or its W line alone: ``part`` "W") and so in
    the W passed down (a published update-order bug with one line of the update slipped on top)."""
    coef_of, factor, move, why = LAYER_FACTORS[kind]
    name, sup, where = _layer_words(l)

    def rates(i: StepInputs) -> tuple[float, ...] | None:
        if l >= len(i.params):
            return None
        return tuple(coef_of(i) if j == l % len(i.params) else i.eta for j in range(len(i.params)))

    def compute(i: StepInputs):
        if l >= len(i.params):
            return None
        j = l % len(i.params)
        if part == "b":                        # its b line alone: b - c sum(delta), the W passed down right
            new = backward_updating(i.params, i.X, i.Y, i.eta * i.k)
            b = i.params[j][1]
            new[j] = (new[j][0], b - coef_of(i) / i.eta * (b - new[j][1]))
            return new, max(abs(coef_of(i)), i.eta) * i.k
        new = backward_updating(i.params, i.X, i.Y, i.eta * i.k, rates={j: coef_of(i) * i.k})
        if part == "W":                        # its b line right (at the output layer, the same delta^L either way)
            b_right = backward_updating(i.params, i.X, i.Y, i.eta * i.k)[j][1]
            new[j] = (new[j][0], b_right)
        return new, max(abs(coef_of(i)), i.eta) * i.k
    if part == "b":
        return StepMistake(f"updated_next_first_{where}_b_{kind}", "two update mistakes: the update used W^(l+1) "
                           "after updating it (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) must use the weights "
                           f"of the forward pass), and {name}'s b step alone is {factor} times the right one, "
                           f"b^{sup}' = b^{sup} - {move} grad b^{sup}, its W right (that line of the update "
                           f"{why.split(':')[0]})", compute, ("updated_next_first", f"{where}_b_{kind}"),
                           factor=True, count=2)        # (no rates: a gradient mistake is not combined with it)
    if part == "W":
        return StepMistake(f"updated_next_first_{where}_W_{kind}", "two update mistakes: the update used W^(l+1) "
                           "after updating it (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) must use the weights "
                           f"of the forward pass), and {name}'s W step alone is {factor} times the right one, "
                           f"W^{sup}' = W^{sup} - {move} grad W^{sup}, its b right (that line of the update "
                           f"{why.split(':')[0]})", compute, ("updated_next_first", f"{where}_W_{kind}",
                                                              f"updated_next_first_{where}_{kind}"),
                           factor=True, rates=rates, rates_b=False)
    broader = ("updated_next_first", WHOLE_STEP[kind], f"{where}_{kind}") + (   # the same step at eta 1, or at
        () if l < 0 else (f"updated_next_first_output_layer_{kind}",))        # depth 1, or where no W is read
    return StepMistake(f"updated_next_first_{where}_{kind}", "two update mistakes: the update used W^(l+1) after "
                       "updating it (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) must use the weights of the "
                       f"forward pass), and {name}'s step is {factor} times the right one, W^{sup}' = W^{sup} - "
                       f"{move} grad W^{sup} (that layer's update {why})", compute, broader, factor=True,
                       rates=rates)


# The slips of one layer's rate tried on top of the update-order bug (a factor of m there is the batch's, which
# the gradient's own mistakes already cover, and only adds look-alikes).
RATE_SLIPS = ("no_eta", "eta_twice", "plus_eta")


def _updated_first_every_layer(kind: str) -> StepMistake:
    """Two update mistakes: W^(l+1) updated before delta^l uses it (``updated_next_first``), and every layer's rate
    the factor ``LAYER_FACTORS[kind]`` off, in its update and so in the W passed down (eta written in the output
    error and again in each update line, with the output layer updated first)."""
    coef_of, factor, move, why = LAYER_FACTORS[kind]

    def rates(i: StepInputs) -> tuple[float, ...]:
        return (coef_of(i),) * len(i.params)           # at depth 1 (no W passed down) the rate slip alone

    def compute(i: StepInputs):
        return backward_updating(i.params, i.X, i.Y, coef_of(i) * i.k), abs(coef_of(i)) * i.k
    return StepMistake(f"updated_next_first_{kind}", "two update mistakes: the update used W^(l+1) after updating "
                       "it (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) must use the weights of the forward "
                       f"pass), and every layer's step is {factor} times the right one, W' = W - {move} grad W (the "
                       f"update {why.split(':')[0]})", compute, ("updated_next_first", WHOLE_STEP[kind]),
                       factor=True, rates=rates, count=2)


# Two slips of the whole step's rate at once, each a catalogued one (``WHOLE_STEP``), e.g. the error's sign flipped
# with eta written in the error and again in the update: W' = W + eta^2 grad W. (key, coefficient, in words)
RATE_FACTORS = {"summed": (lambda i: i.m, "m"), "mean_twice": (lambda i: 1 / i.m, "1/m"),
                "plus_eta": (lambda i: -1.0, "-1"), "eta_missing": (lambda i: 1 / i.eta, "1/eta"),
                "eta_twice": (lambda i: i.eta, "eta")}
RATE_PAIRS = tuple(ks for ks in combinations(RATE_FACTORS, 2)
                   if set(ks) not in ({"summed", "mean_twice"}, {"eta_missing", "eta_twice"}))   # (they cancel)


def _two_rate_slips(a: str, b: str, sentence_of: Callable[[str], str]) -> StepMistake:
    """The whole step with the rate slips ``a`` and ``b`` (``RATE_FACTORS``) made at once: W' = W - eta c_a c_b
    grad W."""
    (ca, wa), (cb, wb) = RATE_FACTORS[a], RATE_FACTORS[b]
    return StepMistake(f"{a}_and_{b}", f"two update mistakes of the whole step, a factor {wa} and a factor {wb}: "
                       f"(1) [{a}] {sentence_of(a)}; (2) [{b}] {sentence_of(b)}",
                       _scaled(lambda i: i.eta * ca(i) * cb(i)), (a, b), factor="plus_eta" not in (a, b), count=2)


def _one_layer(l: int, kind: str) -> StepMistake:
    """The step mistake of ``_layer_times``: one layer's update a factor (``LAYER_FACTORS[kind]``) off where every
    other layer's is right. Its broader kin: the output layer's (layer l + 1 is the output layer of a net that
    deep) and the whole step's (``WHOLE_STEP``: at depth 1 the one layer is every layer)."""
    coef_of, factor, move, why = LAYER_FACTORS[kind]
    if kind == "plus_eta" and l == 0:    # delta^1 enters no other layer's step: its sign makes the same step
        why += ", or its delta^1 has, e.g. sigma'(z^1) written a^1 (a^1 - 1) = -sigma'(z^1)"
    name, sup, where = _layer_words(l)
    broader = (() if l < 0 else (f"output_layer_{kind}",)) + ((WHOLE_STEP[kind],) if kind in WHOLE_STEP else ())
    return StepMistake(f"{where}_{kind}", f"{name}'s step alone is {factor} times the right one: W^{sup}' = "
                       f"W^{sup} - {move} grad W^{sup} while every other layer's is right (that layer's update "
                       f"{why}; treat every layer alike)",
                       _layer_times(l, coef_of), broader, factor=True)


def _hidden_times(coef_of: Callable) -> Callable:
    """Every hidden layer's step with the coefficient ``coef_of(inputs)`` in place of eta, the output layer's right
    (None at depth 1, which has no hidden layer)."""
    def compute(i: StepInputs):
        L = len(i.params)
        if L < 2:
            return None
        c = coef_of(i)
        return [(W - (c if k < L - 1 else i.eta) * gW, b - (c if k < L - 1 else i.eta) * gb)
                for k, ((W, b), (gW, gb)) in enumerate(zip(i.params, i.g))], max(abs(c), i.eta)
    return compute


def _hidden_layers(kind: str) -> StepMistake:
    """The step mistake of every hidden layer's update a factor (``LAYER_FACTORS[kind]``) off, the output layer's
    right: the hidden layers' update written in a loop of its own. At depth 2 it is layer 1's alone, the name
    kept where only such steps fail (its ``broader``: the one that is said)."""
    coef_of, factor, move, why = LAYER_FACTORS[kind]
    return StepMistake(f"hidden_layers_{kind}", f"every hidden layer's step is {factor} times the right one: W^l' = "
                       f"W^l - {move} grad W^l for l < L, while the output layer's is right (the hidden layers' "
                       f"update {why}: the loop over the hidden layers, or their line, apart from the output "
                       "layer's)", _hidden_times(coef_of), (f"layer_1_{kind}",), factor=True)


def _eta_in_deltas(again: int) -> Callable:
    """Each delta multiplied by eta as it is computed, and the update by eta ``again`` more times (1 or 0): layer
    l's step at the rate eta^(L - l + 1 + again) (with ``again`` 1 the output layer's eta^2, the one below eta^3;
    with 0 the output layer's eta, the one below eta^2, and on one layer the right step, so that with a gradient
    mistake it reproduces code of any depth: round 46's weights_m2)."""
    def compute(i: StepInputs):
        L = len(i.params)
        rates = [i.eta ** (L - l + 1 + again) for l in range(1, L + 1)]
        return [(W - c * gW, b - c * gb) for (W, b), (gW, gb), c in zip(i.params, i.g, rates)], max(*rates, i.eta)
    return compute


def _updated_first(i: StepInputs):
    """The in-loop update of a candidate whose gradient is k times the seed's: W^l - eta k grad W^l, and delta^(l-1)
    from that updated W^l, which is ``backward_updating`` with the learning rate eta k."""
    if len(i.params) == 1:
        return None
    return backward_updating(i.params, i.X, i.Y, i.eta * i.k), i.eta * i.k


def _updated_output_first(i: StepInputs):
    """``_updated_first`` for the output layer's W^L alone (at depth 2 the same step as ``_updated_first``)."""
    if len(i.params) < 2:
        return None
    return backward_updating(i.params, i.X, i.Y, i.eta * i.k, top_only=True), i.eta * i.k


def _updated_output_first_recomputed(i: StepInputs):
    """``_updated_output_first`` in code that writes delta^L again inside the hidden layer's line, with the
    updated W^L (``backward_updating``'s ``recompute_top``)."""
    if len(i.params) < 2:
        return None
    return backward_updating(i.params, i.X, i.Y, i.eta * i.k, top_only=True, recompute_top=True), i.eta * i.k


def _nothing(i: StepInputs):
    return [(W, b) for W, b in i.params], 0.0


def _bias_subtracted(i: StepInputs):
    """The step of code whose forward pass subtracts its bias, z = W a - B, handed B = b: it descends the cost
    of the network with biases -b, W' = W - eta k dC/dW and B' = B + eta k dC/d(bias), both at (W, -b)."""
    if not any(np.any(b) for _, b in i.params):
        return None                            # b = 0 (no biases): the same network, nothing to tell apart
    with np.errstate(all="ignore"):
        g = recompute([(W, -b) for W, b in i.params], i.X, i.Y)
    return [(W - i.eta * i.k * gW, b + i.eta * i.k * gb) for (W, b), (gW, gb) in zip(i.params, g)], i.eta


STEP_MISTAKES = [
    StepMistake("updated_next_first", "the update used W^{l+1} after updating it: delta^l = (W^{l+1})^T delta^{l+1} "
                "* sigma'(z^l) must use the weights of the forward pass (compute every layer's gradient before "
                "changing any W, or keep the old W^{l+1} until delta^l is computed)", _updated_first),
    StepMistake("updated_output_first", "the update used W^L after updating it: delta^(L-1) = (W^L)^T delta^L * "
                "sigma'(z^(L-1)) must use the output layer's weights of the forward pass (the output layer is "
                "updated before the hidden error is propagated; the lower layers' recurrences are right)",
                _updated_output_first, ("updated_next_first",)),                        # the same at depth 2
    StepMistake("updated_output_first_recomputed", "the update used W^L after updating it, in delta^L written "
                "again inside the hidden layer's line as well: delta^(L-1) = (W^L)^T [(1/n_L)(a^L - y) * "
                "sigma'(W^L a^(L-1) + b^L)] * sigma'(z^(L-1)) was computed with the output layer's updated W^L (and "
                "b^L), where the weights of the forward pass belong (update the output layer after the hidden "
                "layer's gradient is computed)", _updated_output_first_recomputed),
    StepMistake("eta_twice", "eta applied twice: W' = W - eta^2 grad W", _scaled(lambda i: i.eta * i.eta),
                factor=True),
    StepMistake("eta_in_deltas", "eta multiplied into each delta as it goes down, and into the update again: layer "
                "l's step is eta^(L - l + 2) times the gradient, the output layer's eta^2, the one below eta^3, ...: "
                "W^l' = W^l - eta^(L-l+2) grad W^l (delta = error * sigma' * lr passed down through W, then W += "
                "a^T delta * lr); right only where eta = 1", _eta_in_deltas(1), ("eta_twice",), factor=True),
    StepMistake("eta_in_deltas_only", "eta multiplied into each delta as it goes down, and not into the update: "
                "layer l's step is eta^(L - l + 1) times the gradient, the output layer's eta (right), the one below "
                "eta^2, ...: W^l' = W^l - eta^(L-l+1) grad W^l (the rate inside sigma', deriv = a (1 - a) * lr, "
                "applied at every level of the recurrence, then W += a^T delta); right only where eta = 1 or the "
                "net has one layer: take eta out of the deltas and apply it once, in the update",
                _eta_in_deltas(0), factor=True),
    StepMistake("eta_missing", "eta not applied: W' = W - grad W (the learning rate is missing; or a rate of 1 "
                "fixed in the code, whatever eta it is given: if that is its design, declare it with --eta 1)",
                _scaled(lambda i: 1.0), factor=True),
    StepMistake("plus_eta", "the step climbs the cost, W' = W + eta grad W: the output error's sign flipped against "
                "the update's (y - a^L in code that subtracts its step, e.g. dC/da written 2 (y - a); a^L - y in "
                "code that adds it, w += eta ...), or +eta instead of -eta in the update; no case tells the two "
                "apart, so look at the output error's sign and at the update's",
                _scaled(lambda i: -i.eta)),
    StepMistake("summed", "the mini-batch summed instead of averaged: W' = W - eta sum_x grad W_x (eta / m is "
                "missing its 1/m: divide the summed gradient by the mini-batch size m)",
                _scaled(lambda i: i.eta * i.m), factor=True),
    StepMistake("mean_twice", "1/m applied twice: W' = W - (eta / m) mean grad W (the gradient was already the "
                "mini-batch mean; under a declared --scale with m in it, a summed cost: the step averages where that "
                "cost sums)", _scaled(lambda i: i.eta / i.m), factor=True),
    StepMistake("bias_not_updated", "the bias not updated: W' is right, b' = b (add b^l <- b^l - eta grad b^l)",
                _bias_at(lambda i: 0.0)),
    StepMistake("bias_replaced", "the bias replaced by its step: b' = -eta grad b (b = ... written for b += ... or "
                "b -= ...), the old b lost; W' is right", _bias_replaced),
    StepMistake("bias_update_reversed", "the bias line's operands swapped: b' = eta grad b - b, the negative of the "
                "right b - eta grad b (a subtraction written gradient minus bias, e.g. Sub(grad, b) for Sub(b, grad)); "
                "W' is right", _reversed("b")),
    StepMistake("weights_update_reversed", "the weights' line's operands swapped: W' = eta grad W - W, the negative "
                "of the right W - eta grad W (a subtraction written gradient minus weights); b' is right",
                _reversed("W")),
    StepMistake("update_reversed", "the update's operands swapped in every line: W' = eta grad W - W and b' = eta "
                "grad b - b, the negatives of the right new parameters (a subtraction written gradient minus "
                "parameter)", _reversed("Wb")),
    StepMistake("bias_in_input_loop", "each bias updated inside the loop over the layer's inputs k: b^l moves "
                "n_(l-1) times as far as it should, b' = b - n_(l-1) eta grad b (the bias line indented one level "
                "too deep, run once per weight w_jk); W' is right", _bias_per_input),
    StepMistake("bias_no_eta", "eta left out of the bias line: W' is right, b' = b - grad b (b += error, the "
                "weights' line times eta)", _bias_at(lambda i: 1.0), factor=True),
    StepMistake("weights_no_eta", "eta left out of the weights' line: b' is right, W' = W - grad W (W += delta a^T "
                "beside b += eta * delta)", _bias_at(lambda i: i.eta, lambda i: 1.0), ("eta_missing",),
                factor=True),                                            # (the same on a net without biases)
    StepMistake("bias_plus_eta", "+eta for the bias only: W' is right, b' = b + eta grad b climbs the cost (b^l <- "
                "b^l - eta grad b^l)", _bias_at(lambda i: -i.eta), ("plus_eta",)),   # the same where W's step is nil
    StepMistake("weights_plus_eta", "+eta for the weights only: b' is right, W' = W + eta grad W climbs the cost "
                "(W^l <- W^l - eta grad W^l; the weight line's sign, or its error's, flipped)",
                _bias_at(lambda i: i.eta, lambda i: -i.eta), ("plus_eta",)),
    *[StepMistake(f"skipped_layer_{l + 1}", f"layer {l + 1} skipped: W^{l + 1} and b^{l + 1} were not updated, "
                  "every other layer was (check the loop's range over l = 1..L)", _skip(l), ("skipped_output_layer",))
      for l in range(8)],
    StepMistake("skipped_output_layer", "the output layer L skipped, whatever L is: W^L and b^L were not updated, "
                "every other layer was (an update loop over l = 1..L-1, e.g. range(len(weights) - 1))", _skip(-1)),
    *[StepMistake(f"only_layers_1_to_{k}_updated", f"only layers 1..{k} were updated, every layer above was not (an "
                  f"update loop whose bound is a number, range({k}), where range(L) belongs: right only on nets of "
                  f"depth {k})", _only_first(k), ("skipped_output_layer",)) for k in range(1, 8)],
    *[_one_layer(l, kind) for kind in LAYER_FACTORS if kind not in ARRAY_ONLY for l in (-1, *range(8))],
    *[_one_array(l, kind, part) for part in "Wb" for kind in LAYER_FACTORS for l in (-1, *range(8))],
    *[_last_only(l, kind) for kind in LAST_ONLY for l in (-1, *range(8))],
    *[_hidden_layers(kind) for kind in LAYER_FACTORS if kind not in ARRAY_ONLY],
    *[StepMistake(f"updated_next_first_layer_{l + 1}_skipped", f"two update mistakes: the update used W^(l+1) after "
                  "updating it (delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) must use the weights of the forward "
                  f"pass), and layer {l + 1} was not updated (check the update loop's range over l = 1..L)",
                  _skipping(_updated_first_any_depth, l)) for l in range(8)],
    *[_updated_first_one_layer(l, kind) for kind in RATE_SLIPS for l in (-1, *range(8))],
    *[_updated_first_one_layer(l, kind, "W") for kind in LAYER_FACTORS if kind != "still" for l in (-1, 0)],
    *[_updated_first_one_layer(l, kind, "b") for kind in LAYER_FACTORS if kind != "still" for l in (-1, 0)],
    # (every layer's -eta with the update order is [sign + updated_next_first], named so by the pairs' tier)
    *[_updated_first_every_layer(kind) for kind in RATE_SLIPS if kind != "plus_eta"],
    StepMistake("bias_subtracted", "the forward pass subtracts the bias, z = W a - b (a threshold, or a bias unit "
                "fed -1): a network other than the seed's, whose own gradient the step descends; if that is its "
                "design, declare it with --negated-bias", _bias_subtracted),
    StepMistake("no_update", "nothing was updated: W' = W and b' = b in every layer (an in-place step that rebinds "
                "a local name, W = W - eta * gW, instead of W -= eta * gW or returning the new parameters? the "
                "update lines inside a branch not taken, such as an if of a regularisation switch off by default? "
                "or a gradient that is all zeros, such as sigma' written a * 1 - a or sigma(z) / 1.0 - sigma(z) (an "
                "operator-precedence slip: 0, so every delta is 0), or an error taken from an output that was never "
                "stored?)", _nothing),
]


# The slips of a bias line alone (its rate, its sign, the line missing or assigned): they change b' and nothing
# else, so they go on top of another update mistake (``_Hypotheses._step``'s "A & B").
BIAS_SLIPS = frozenset(m.key for m in STEP_MISTAKES if m.key != "bias_subtracted"
                        and (m.key.startswith("bias_") or "_b_" in m.key))
_SENTENCES = {m.key: m.sentence for m in STEP_MISTAKES}
STEP_MISTAKES += [_two_rate_slips(a, b, _SENTENCES.get) for a, b in RATE_PAIRS]

# Key -> its broader kin, for gradient mistakes in a right update (``mistakes.BROADER``) and update mistakes alike.
BROADER = {**GRADIENT_BROADER, **{m.key: m.broader for m in STEP_MISTAKES if m.broader}}


def reproduces(got: list, mine: list, i: StepInputs, tol_g: list, coef: float, u: float, more: list | None = None
               ) -> bool:
    """Every element of the candidate's ``got`` within the step tolerance (coefficient ``coef``, plus ``more``
    where given) of ``mine``."""
    more = more or [(0.0, 0.0)] * len(mine)
    clip = _clip.get()
    for (cW, cb), (mW, mb), (W, b), (gW, gb), (tW, tb), (eW, eb) in zip(got, mine, i.params, i.g, tol_g, more):
        mW = mW if clip is None else np.clip(mW, -clip, clip)
        for c, r, p, g, t, e in ((cW, mW, W, gW, tW, eW), (cb, mb, b, gb, tb, eb)):
            tol = step_tolerance(p, g, t, max(abs(coef), i.eta), u, i.m) + e + _slack.get()
            with np.errstate(invalid="ignore", over="ignore"):
                if not (np.abs(np.asarray(c, np.float64) - r) <= tol).all():
                    return False
    return True


def inputs_of(result) -> tuple[StepInputs, list]:
    """A ``stepcheck.StepResult``'s inputs as ``StepInputs`` and the gradient tolerances [(tol_W, tol_b)]."""
    params, x, y, layers = result.inputs
    X = np.atleast_2d(np.asarray(x, np.float64))
    Y = np.atleast_2d(np.asarray(y, np.float64))
    p64 = [(np.asarray(W, np.float64), np.asarray(b, np.float64)) for W, b in params]
    g = [(np.asarray(r.W, np.float64), np.asarray(r.b, np.float64)) for r in layers]
    return (StepInputs(p64, X, Y, result.eta, X.shape[0], g, result.scale),
            [(r.tol_W, r.tol_b) for r in layers])


def right_within(result) -> bool:
    """Whether the failing ``stepcheck.StepResult`` is the right step within the reproduction tolerance (as
    ``rounded`` widens it)."""
    return _Hypotheses(result).fit((), None)[0]


# An epoch's mistakes of its last, partial mini-batch alone (``checks.epoch``'s): a step they reproduce is
# diagnosed apart from the others, whose mistake may be another (round 48's amanda_m1..m3).
LAST_STEP_KEYS = ("last_dropped", "last_divided_by_k", "last_padded_wrap", "last_padded_zeros")


def diagnose_step(result, extra: list[StepMistake] = ()) -> list[Found]:
    """The catalogued mistakes (``extra`` then ``STEP_MISTAKES``) whose recomputation reproduces the failing
    ``stepcheck.StepResult``; empty when none does."""
    return reproduced_by(result, [*extra, *STEP_MISTAKES])


def reproduced_by(result, mistakes: list[StepMistake]) -> list[Found]:
    """Those of ``mistakes`` whose recomputation reproduces the failing ``stepcheck.StepResult`` (an epoch's later
    step starts from the candidate's own parameters, which may have overflowed: a NaN there matches nothing)."""
    i, tol_g = inputs_of(result)
    u = UNIT_ROUNDOFF[result.case.dtype]
    found = []
    for m in mistakes:
        with np.errstate(all="ignore"):
            out = m.compute(i)
        if out is not None and reproduces(result.got, out[0], i, tol_g, out[1], u, out[2] if len(out) > 2 else None):
            found.append(Found(m.key, f"[{m.key}] {m.sentence}"))   # tagged as gradient ones are
    return found


def accumulated(before: list[tuple[int, list]]) -> StepMistake:
    """The mini-batch step of code whose gradient buffers are never cleared: step j descends the sum of every
    mini-batch's summed gradient so far, divided by its own size, (1/m_j) sum_(i <= j) m_i grad_i, each grad_i taken
    at the parameters before step i. ``before``: the epoch's earlier steps, (m_i, the reference's layers at
    them, already times the declared constant), whose gradients and tolerances the recomputation adds in."""
    def compute(i: StepInputs):
        if not before:
            return None
        total = [(gW.copy(), gb.copy()) for gW, gb in i.g]
        more = [(0.0, 0.0) for _ in i.g]
        for m_i, layers in before:
            w = m_i / i.m
            for l, r in enumerate(layers):
                rW, rb = np.asarray(r.W, np.float64), np.asarray(r.b, np.float64)
                total[l] = (total[l][0] + w * rW, total[l][1] + w * rb)
                more[l] = (more[l][0] + i.eta * w * r.tol_W, more[l][1] + i.eta * w * r.tol_b)
        new = [(W - i.eta * gW, b - i.eta * gb) for (W, b), (gW, gb) in zip(i.params, total)]
        u = UNIT_ROUNDOFF["float32"]     # the earlier gradients' sum in the candidate's dtype: float32's at most
        more = [(eW + 4 * u * i.eta * np.abs(gW), eb + 4 * u * i.eta * np.abs(gb))
                for (eW, eb), (gW, gb) in zip(more, total)]
        return new, i.eta, more
    return StepMistake("grads_not_cleared", "the gradient buffers are never cleared between mini-batches: each step "
                       "descends the sum of every mini-batch's gradient so far, (eta / m_j) sum_(i <= j) sum_x grad_x, "
                       "where only mini-batch j's belongs (set nabla_W, nabla_b to zero before each mini-batch)",
                       compute)


def per_example(k: int) -> StepMistake:
    """An epoch's mini-batch step of code that ignores the mini-batch size ``k``: one plain SGD step per example of
    the mini-batch, each from the parameters the last one left (per-example SGD), the seed's gradient times the
    declared constant. Its own roundings compound over the examples: each step's are added (float32's at most)."""
    def compute(i: StepInputs):
        if i.m < 2:
            return None
        ps, more = [(W, b) for W, b in i.params], [(0.0, 0.0) for _ in i.params]
        u, c = UNIT_ROUNDOFF["float32"], i.eta * i.k
        for x, y in zip(i.X, i.Y):
            g = mean_gradient(ps, x[None], y[None])
            ps = [(W - c * gW, b - c * gb) for (W, b), (gW, gb) in zip(ps, g)]
            more = [(eW + 8 * u * (np.abs(W) + c * np.abs(gW)), eb + 8 * u * (np.abs(b) + c * np.abs(gb)))
                    for (eW, eb), (W, b), (gW, gb) in zip(more, ps, g)]
        return ps, i.eta, more
    return StepMistake("steps_per_example", f"the epoch takes one step per example whatever the mini-batch size (k = "
                       f"{k} here): each mini-batch's step is k plain SGD steps, one per example. If per-example SGD "
                       "is the code's design, declare it with --mini-batch 1; else step once per mini-batch, on the "
                       "mean gradient of its examples", compute)


def bias_rate(result) -> tuple[float, float] | None:
    """(c, its relative uncertainty): the one rate c with b' = b - c grad b on every bias element the failing
    ``result`` moves well beyond b's rounding, when c is not +-eta (a bias line with a learning rate of its own);
    else None. Read against grad b itself, not the reference's move b - eta grad b (``steppatterns``' ratios):
    with a small eta that move is mostly b's rounding. The uncertainty is the rates' spread plus what b's and
    b''s roundings can move one rate: a reproduction on other steps allows for it."""
    i, tol_g = inputs_of(result)
    u = UNIT_ROUNDOFF[result.case.dtype]
    parts = []
    for (_, cb), (_, b), (_, gb), (_, tb) in zip(result.got, i.params, i.g, tol_g):
        if _left_out(tb):
            continue
        cb = np.asarray(cb, np.float64)
        parts.append((b - cb, gb, 4 * u * (np.abs(cb) + np.abs(b))))
    read = _read_rate(parts)
    if read is None or abs(abs(read[0]) / i.eta - 1) < 1e-3 or abs(read[0] - 1) < 1e-3:
        return None                  # a rate of +-eta or 1 is a catalogued mistake's (right, bias_plus_eta or
    return read                      # bias_no_eta)


def step_rate(result) -> tuple[float, float] | None:
    """(r, its relative uncertainty): the one rate r > 0 with W' = W - r grad W and b' = b - r grad b on every
    element the failing ``result`` moves well beyond its rounding, when r is not eta: a step with a learning rate
    of its own (``self.lr``, a default), whatever eta it is given; else None (and for a rate of 1, the step of
    ``eta_missing``). Read as ``bias_rate`` reads b's."""
    i, tol_g = inputs_of(result)
    u = UNIT_ROUNDOFF[result.case.dtype]
    parts = []
    for (cW, cb), (W, b), (gW, gb), (tW, tb) in zip(result.got, i.params, i.g, tol_g):
        for c, p, g, t in ((cW, W, gW, tW), (cb, b, gb, tb)):
            if _left_out(t):
                continue
            c = np.asarray(c, np.float64)
            parts.append((p - c, g, 4 * u * (np.abs(c) + np.abs(p))))
    read = _read_rate(parts)
    if read is None or read[0] <= 0 or abs(read[0] / i.eta - 1) < 1e-3 or shortest(*read) == "1":
        return None                   # (a rate of 1 is eta_missing's step, which says how to declare it)
    return read


def shortest(r: float, spread: float) -> str:
    """``r`` written with the fewest significant digits that stay within its relative uncertainty ``spread`` (a
    rate read as 0.99999937 +- 1e-6 is 1: the value to declare), all of them where ``spread`` is 0."""
    return next((t for d in range(1, 17) if abs(float(t := f"{r:.{d}g}") - r) <= abs(r) * spread), repr(r))


def own_rate(r: float, spread: float = 0.0) -> StepMistake:
    """The step mistake of a rate of its own, ``r`` (``step_rate``), for W and b alike; said as ``shortest``."""
    def compute(i: StepInputs):
        new = [(W - r * gW, b - r * gb) for (W, b), (gW, gb) in zip(i.params, i.g)]
        return new, r, [(r * np.abs(gW) * (spread + 2.0**-50), r * np.abs(gb) * (spread + 2.0**-50))
                        for gW, gb in i.g]
    shown = shortest(r, spread)
    return StepMistake("own_rate", f"the step moves at a rate of its own, {shown}, whatever eta it is given: W' = "
                       f"W - {shown} grad W (a learning rate fixed in the code, e.g. self.lr or a default argument): "
                       f"if that is its design, declare it with --eta {shown}", compute)


def bias_fixed_rate(c: float, spread: float = 0.0) -> list[StepMistake]:
    """The step mistakes of a bias line with its own learning rate ``c`` (``bias_rate``; negative: it climbs;
    ``spread`` its relative uncertainty), W's step right, or W's climbing too (W + eta grad W): each reproduces a
    run only if the same c fits every diagnosed step, whose etas differ."""
    why = ("eta left out of the bias line" if abs(abs(c) - 1) < 1e-3 else "a default learning rate left in the "
           "bias line?") + ("; it climbs" if c < 0 else "")
    words = (f"the bias moves at a rate of its own, {c:.3g}, whatever eta is: b' = b {'-' if c > 0 else '+'} "
             f"{abs(c):.3g} grad b where b - eta grad b belongs ({why})")
    def uncertain(rate_of_W: Callable) -> Callable:
        def compute(i: StepInputs):
            new, coef = _bias_at(lambda _: c, rate_of_W)(i)
            return new, coef, [(0.0, abs(c) * np.abs(gb) * (spread + 2.0**-50)) for _, gb in i.g]
        return compute
    return [StepMistake("bias_fixed_rate", f"{words}, W' right", uncertain(lambda i: i.eta)),
            StepMistake("plus_eta + bias_fixed_rate", f"+eta for W, W' = W + eta grad W (or the error's sign flipped "
                        f"under -eta), and {words}", uncertain(lambda i: -i.eta))]


def decay_rate(result) -> tuple[float, float] | None:
    """(lambda, its relative uncertainty): the one lambda > 0 with W' = W - eta (grad W + lambda W) on every weight
    the failing ``result`` moves off the right step a thousand times beyond the roundings (L2 weight decay, the
    gradient of C + (lambda/2) sum W^2); else None. Read off the step, as ``bias_rate``; the uncertainty is the
    rates' spread plus what the roundings can move one rate. ``weight_decay`` then must reproduce every diagnosed
    step."""
    i, tol_g = inputs_of(result)
    u = UNIT_ROUNDOFF[result.case.dtype]
    parts = []
    for (cW, _), (W, _), (gW, _), (tW, _) in zip(result.got, i.params, i.g, tol_g):
        if _left_out(tW):
            continue
        cW = np.asarray(cW, np.float64)
        parts.append(((W - i.eta * gW) - cW, i.eta * W,                    # eta lambda W, if that is it
                      4 * u * (np.abs(cW) + np.abs(W) + i.eta * np.abs(gW))))
    read = _read_rate(parts)
    return read if read is not None and read[0] > 0 else None


def _left_out(tol: np.ndarray) -> bool:
    """An array not compared (an infinite tolerance throughout: no biases, or a wrong shape beside right ones,
    ``stepcheck._beside_shape``): no rate is read from it."""
    return bool(np.all(np.isinf(tol)))


def _read_rate(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[float, float] | None:
    """(r, its relative uncertainty): the one rate r = moved / per over every element of ``parts`` (per array:
    moved, per, rounding) moved more than 1024 times its rounding (so each rate is read to 1e-3 or better), when
    those rates agree within 1e-3; else None. The uncertainty is their spread plus the largest rounding / moved:
    what the roundings can move one rate (``bias_rate``, ``decay_rate``)."""
    rates, slack = [], []
    with np.errstate(all="ignore"):
        for moved, per, rounding in parts:
            clear = (per != 0) & (np.abs(moved) > 1024 * rounding)
            rates.append(moved[clear] / per[clear])
            slack.append(rounding[clear] / np.abs(moved[clear]))
        r = np.concatenate(rates) if rates else np.empty(0)
        if r.size == 0 or not np.all(np.isfinite(r)):
            return None
        c = float(np.median(r))
        spread = float(np.max(np.abs(r / c - 1))) if c != 0 else np.inf
    if spread > 1e-3:
        return None
    return c, spread + float(np.max(np.concatenate(slack)))


def weight_decay(lam: float, spread: float) -> StepMistake:
    """The step mistake of L2 weight decay ``lam`` (``decay_rate``) on W, b's step right; the decay term's
    tolerance is lambda's relative uncertainty ``spread`` plus the rounding of lambda W in float32."""
    def compute(i: StepInputs):
        new = [(W - i.eta * (gW + lam * W), b - i.eta * gb) for (W, b), (gW, gb) in zip(i.params, i.g)]
        slack = spread + 4 * UNIT_ROUNDOFF["float32"]     # and the candidate's own rounding of lambda W, at worst
        more = [(i.eta * lam * np.abs(W) * slack, 0.0) for W, _ in i.params]
        return new, i.eta, more
    return StepMistake("weight_decay", f"the step adds L2 weight decay, lambda = {lam:.3g}: W' = W - eta (grad W + "
                       f"{lam:.3g} W), b' right: it descends C + ({lam:.3g}/2) sum W^2, not the seed's C (to check "
                       "the backprop, call it with lambda = 0)", compute)


STEP_GRADIENT_KEYS = tuple(k for k, m in CATALOGUE.items()      # recomputed in float64: exp(-z) overflows
                           if m.u_scale_from is None)              # there as a float64 step's does, not float32's
# The one-layer variants a pair may hold beside a whole-network mistake: the output layer's and the hidden
# layers' (at depth 2, the commonest published form, every layer's), not the per-layer-number ones.
STEP_LAYER_KEYS = tuple(k for k, m in ONE_LAYER.items() if m.layer in (HIDDEN_LAYERS, OUTPUT_LAYER)
                        and m.base in STEP_GRADIENT_KEYS)


def _mistaken_gradient(i: StepInputs, keys: tuple[str, ...], updated: bool | tuple[float, ...],
                       dtype: str = "float64") -> list:
    """The gradient of a backprop with the mistakes ``keys`` (times the declared ``k``), float64, or in the case's
    ``dtype`` for a mistake whose overflow depends on it (``mistakes.DTYPE_BOUND``: z(1 - z) overflows float32 at
    |z| > 1.8e19); ``updated``: the W^{l+1} its recurrence uses is already W^{l+1} - eta k grad W^{l+1} (each
    layer's own rate in place of eta, where a tuple)."""
    params = i.params
    if set(keys) & DTYPE_BOUND or IN_CASE_DTYPE in keys:
        params = [(W.astype(dtype), b.astype(dtype)) for W, b in params]
    with np.errstate(all="ignore"):
        eta = tuple(c * i.k for c in updated) if isinstance(updated, tuple) else i.eta * i.k if updated else None
        out = recompute(params, i.X, i.Y, keys, updated_eta=eta)
        out = [(np.asarray(gW, np.float64), np.asarray(gb, np.float64)) for gW, gb in out]
        return [(gW * i.k, gb * i.k) for gW, gb in out]


def step_reproduction_tolerances(i: StepInputs, tol_g: list, g_m: list) -> list:
    """Per array, the reproduction tolerance of a mistaken gradient ``g_m`` against the reference ``i.g``: the
    reference's tolerance times rho (``mistakes.fit``: how much the mistake scales the magnitudes summed)."""
    out = []
    with np.errstate(all="ignore"):
        for (gW, gb), (tW, tb), (mW, mb) in zip(i.g, tol_g, g_m):
            pair = []
            for g, t, gm in ((gW, tW, mW), (gb, tb, mb)):
                top = max(float(np.max(np.abs(g), initial=0.0)), 1e-300)
                rho = max(1.0, float(np.max(np.abs(gm), initial=0.0)) / top)
                pair.append(reproduction_tolerance(t, np.maximum(rho, np.abs(gm) / (np.abs(g) + t)), 1.0))
            out.append(tuple(pair))
    return out


def _array_fit(c, r, p, gm, tm, g, t, coef: float, eta: float, u: float, m: int = 1, clip: float | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """(within, visible) per element of one array: the candidate's ``c`` within the step tolerance of the
    hypothesis's ``r`` (from parameters ``p`` and the mistaken gradient ``gm`` known within ``tm``, coefficient
    ``coef``; an infinite tolerance: not compared, no biases; an overflow both share); and ``r`` visibly not the
    right step p - eta g there, beyond its own and the right step's tolerance (``t``: the gradient's), or
    non-finite where the right step is finite; ``m``: the step's examples (``bound.step_tolerance``); ``clip``: the
    bound both steps are clipped to (``clipped``), or None."""
    tol = step_tolerance(p, gm, tm, max(abs(coef), eta), u, m) + _slack.get()
    c = np.asarray(c, np.float64)
    right = p - eta * g
    if clip is not None:
        r, right = np.clip(r, -clip, clip), np.clip(right, -clip, clip)
    same_overflow = ~np.isfinite(r) & ((np.isnan(c) & np.isnan(r)) | (c == r))
    within = (np.abs(c - r) <= tol) | np.isinf(tol) | same_overflow
    visible = (np.abs(r - right) > tol + step_tolerance(p, g, t, eta, u, m)) | (~np.isfinite(r) & np.isfinite(right))
    return within, visible


def _array_fits(got: list, mine: list, i: StepInputs, g_m: list, tol_m: list, tol_g: list, coef: float, u: float):
    """(layer 1..L, "W" or "b", within, visible) of every array, as ``_array_fit`` reads it."""
    for l, (c, r, p, gm, tm, g, t) in enumerate(zip(got, mine, i.params, g_m, tol_m, i.g, tol_g), start=1):
        for a, name in enumerate(("W", "b")):
            clip = _clip.get() if name == "W" else None
            yield (l, name, *_array_fit(c[a], r[a], p[a], gm[a], tm[a], g[a], t[a], coef, i.eta, u, i.m, clip))


def fit_mistaken(got: list, mine: list, i: StepInputs, g_m: list, tol_m: list, tol_g: list, coef: float,
                 u: float) -> tuple[bool, bool]:
    """(within, visible): every element of ``got`` within the step tolerance of ``mine`` (a step computed from
    the mistaken gradient ``g_m`` known within ``tol_m``, coefficient ``coef``); and ``mine`` visibly not the
    right step somewhere, beyond its own and the right step's tolerance. A hypothesis is claimed only where it is
    within on every case diagnosed and visible on one (so that a right step is never reproduced)."""
    visible = False
    with np.errstate(all="ignore"):
        for _, _, within, seen in _array_fits(got, mine, i, g_m, tol_m, tol_g, coef, u):
            if not within.all():
                return False, False
            visible |= bool(seen.any())
    return True, visible


# What a gradient mistake is in a step, where that says more than its gradient's words (round 73's mc_m3: the new
# output weights assigned to a name never read, told only of a backward loop that never visits the layer).
IN_A_STEP = {"gradient_left_zero_output_layer": "; in a step, the same as the output layer never updated "
                                                "(skipped_output_layer: its new W^L and b^L computed and assigned to "
                                                "a name the network never reads, or not assigned at all)"}


def gradient_sentence(key: str) -> str:
    """A gradient mistake's words in a step's diagnosis (a step that climbs is never a convention to declare)."""
    return (f"[{key}] the step descends a gradient with this mistake: {mistake(key).text.replace(ON_PURPOSE, '')}"
            f"{IN_A_STEP.get(key, '')}")


_BY_KEY = {m.key: m for m in STEP_MISTAKES}


def is_update(key: str) -> bool:
    """Whether ``key`` is an update mistake (of ``STEP_MISTAKES``), not a gradient mistake of the catalogue."""
    return key in _BY_KEY and key not in CATALOGUE


def step_sentence(key: str) -> str:
    """An update mistake's sentence."""
    return _BY_KEY[key].sentence


def is_factor(key: str) -> bool:
    """Whether the step mistake or gradient mistake ``key`` only scales a step (or a layer's, an array's) or the
    gradient by a constant (``StepMistake.factor``; a gradient mistake of a constant slot that drops no example,
    ``mistakes.DROPS_EXAMPLES``)."""
    if key in _BY_KEY:
        return _BY_KEY[key].factor
    return key in CATALOGUE and CATALOGUE[key].slot in CONSTANT_SLOTS and key not in DROPS_EXAMPLES


def _with_roundings(tol_m: list, out: tuple) -> list:
    """The mistaken gradient's tolerances ``tol_m`` with a step mistake's own added roundings (``out``'s optional
    third item, [(tol W', tol b')] on the new parameters) folded in, divided by its coefficient: the step
    tolerance's coef * tol then holds them (the bias line run n_(l-1) times)."""
    if len(out) < 3 or not out[1]:
        return tol_m
    c = abs(out[1])
    return [(tW + eW / c, tb + eb / c) for (tW, tb), (eW, eb) in zip(tol_m, out[2])]


class _Hypotheses:
    """One failing step's inputs, and its mistaken gradients computed once per gradient mistake, for
    ``fit``: a gradient mistake (or none) and an update mistake (or none) made at once."""

    def __init__(self, result):
        self.result = result
        self.i, self.tol_g = inputs_of(result)
        self.u = UNIT_ROUNDOFF[result.case.dtype]
        self._grads: dict[tuple, tuple[list, list]] = {}

    def _gradient(self, keys: tuple[str, ...], updated: bool | tuple[float, ...]) -> tuple[list, list] | None:
        """The mistaken gradient and its reproduction tolerances; None where the mistakes' shapes do not chain on
        this case (two of them that meet in one layer's arrays: such code raises there)."""
        if (keys, updated) in self._grads:
            return self._grads[keys, updated]
        try:
            g = _mistaken_gradient(self.i, keys, updated, self.result.case.dtype)
        except ValueError:
            out = None
        else:
            out = g, step_reproduction_tolerances(self.i, self.tol_g, g)
        if len(keys) <= 1:         # kept for the update mistakes combined with it; a pair's is used once (and a
            self._grads[keys, updated] = out    # wide net's thousands of pairs would not fit in memory)
        return out

    def _step(self, gradient_keys: tuple[str, ...], step_key: str | None) -> tuple | None:
        """(the step [(W', b')], its coefficient, the mistaken gradient, its tolerances) with the gradient mistakes
        ``gradient_keys`` and the update mistake ``step_key``; None where they do not apply or chain here. A step
        key ``"A & B"`` is the update mistake A with the bias line's slip B (``BIAS_SLIPS``) on top: W' as A makes
        it, b' as B makes it from the same gradient."""
        if step_key is not None and " & " in step_key:
            main, bias = step_key.split(" & ")
            out = self._step(gradient_keys, main)
            if out is None or (slipped := _BY_KEY[bias].compute(self.i._replace(g=out[2]))) is None:
                return None
            new = [(W, b) for (W, _), (_, b) in zip(out[0], slipped[0])]
            return new, max(abs(out[1]), abs(slipped[1])), out[2], _with_roundings(out[3], slipped)
        i = self.i
        rated = step_key is not None and _BY_KEY[step_key].rates is not None
        rates = _BY_KEY[step_key].rates(i) if rated else None
        if rated and rates is None:
            return None
        top = step_key == "updated_output_first"      # the output layer's W^L alone passed down updated
        if top and len(i.params) < 2:
            return None
        updated = (0.0,) * (len(i.params) - 1) + (i.eta,) if top else rates or step_key == "updated_next_first"
        mistaken = self._gradient(gradient_keys, updated)
        if mistaken is None:
            return None
        g, tol_m = mistaken
        with np.errstate(over="ignore", invalid="ignore"):      # a diverged hypothesis's inf matches nothing
            if rates is not None:                # each layer's own rate, in its update and in the W passed down
                cb = rates if _BY_KEY[step_key].rates_b else (i.eta,) * len(rates)
                out = ([(W - c * gW, b - e * gb) for (W, b), (gW, gb), c, e in zip(i.params, g, rates, cb)],
                       max(map(abs, (*rates, *cb))))
            elif step_key is None or step_key in ("updated_next_first", "updated_output_first"):
                out = [(W - i.eta * gW, b - i.eta * gb) for (W, b), (gW, gb) in zip(i.params, g)], i.eta
            else:
                out = _BY_KEY[step_key].compute(i._replace(g=g))
        return None if out is None else (out[0], out[1], g, _with_roundings(tol_m, out))

    def fit(self, gradient_keys: tuple[str, ...], step_key: str | None, first: int = 0,
            weights_only: bool = False) -> tuple[bool, bool]:
        """(within, visible) of the step with the gradient mistakes ``gradient_keys`` (() for none: the oracle's
        own float64 gradient) and the update mistake ``step_key`` (None for a right update), at the reproduction
        tolerance (``fit_mistaken``); on the layers from index ``first`` up (0: all of them), their W' alone where
        ``weights_only``."""
        step = self._step(gradient_keys, step_key)
        if step is None:
            return False, False
        mine, coef, g, tol_m = step
        top = self.i._replace(params=self.i.params[first:], g=self.i.g[first:])
        got = self.result.got[first:]
        if weights_only:                         # b' taken as the hypothesis's own: compared with itself
            got = [(cW, mb) for (cW, _), (_, mb) in zip(got, mine[first:])]
        return fit_mistaken(got, mine[first:], top, g[first:], tol_m[first:], self.tol_g[first:], coef, self.u)

    def right_gradient(self, updated: bool = False) -> list:
        """The oracle's gradient recomputed (times ``k``, float64), with W^(l+1) updated before the recurrence
        reads it where ``updated``; computed once per step and kept."""
        return self._gradient((), updated)[0]

    def fit_gradient(self, g_m: list) -> tuple[bool, bool]:
        """(within, visible) of a right update of the gradient ``g_m`` [(gW, gb)] that a search computed itself
        (``unitline``'s: a right gradient but for one unit's delta), as ``fit`` reads a catalogued one."""
        mine = [(W - self.i.eta * gW, b - self.i.eta * gb) for (W, b), (gW, gb) in zip(self.i.params, g_m)]
        return fit_mistaken(self.result.got, mine, self.i, g_m, step_reproduction_tolerances(self.i, self.tol_g, g_m),
                            self.tol_g, self.i.eta, self.u)

    def apart(self, gradient_keys: tuple[str, ...], step_key: str | None
              ) -> tuple[list[tuple[int, str, tuple[int, ...]]], bool] | None:
        """(the elements of the candidate's step outside the step tolerance of this hypothesis's, as (layer 1..L,
        "W" or "b", index); whether the hypothesis's step is visibly not the right one at an element the candidate
        agrees with it on: evidence for it), as ``fit_mistaken`` reads them; None where the mistakes do not apply
        here."""
        step = self._step(gradient_keys, step_key)
        if step is None:
            return None
        mine, coef, g, tol_m = step
        out, visible = [], False
        with np.errstate(all="ignore"):
            for l, name, within, seen in _array_fits(self.result.got, mine, self.i, g, tol_m, self.tol_g, coef,
                                                     self.u):
                out += [(l, name, tuple(int(v) for v in ix)) for ix in np.argwhere(~within)]
                visible |= bool(np.any(within & seen))
        return out, visible

    def residual(self, gradient_keys: tuple[str, ...], step_key: str | None, first: int) -> float:
        """How far the step with these mistakes is from the candidate's W' of the layers from index ``first`` up,
        as a share of how far the right step is: sum |W'_candidate - W'_mine| / sum |W'_candidate - W'_right|
        (0: reproduced, 1: no closer than the right step; inf where the mistakes do not apply)."""
        step, right = self._step(gradient_keys, step_key), self._step((), None)
        if step is None or right is None:
            return math.inf
        with np.errstate(all="ignore"):
            far = [(np.abs(np.asarray(c, np.float64) - m).sum(), np.abs(np.asarray(c, np.float64) - r).sum())
                   for (c, _), (m, _), (r, _) in zip(self.result.got[first:], step[0][first:], right[0][first:])]
            mine, base = sum(f for f, _ in far), sum(b for _, b in far)
        return float(mine / base) if base > 0 and np.isfinite(mine) else math.inf


# The search's time: the tiers of two and three mistakes try thousands of hypotheses, each a backward pass; on a
# wide net (784-300-10: 0.5 ms a pass, a few ms a fit) that is minutes, and the search stops at its limit.
SEARCH_SECONDS = 60.0    # of the oracle's CPU time (``budget``)
_until: ContextVar[Deadline] = ContextVar("until", default=NEVER)


ROUNDED_SLACK = 100.0    # times 10^-k: what rounding every value to k decimals moves a step by, allowed for
_slack: ContextVar[float] = ContextVar("slack", default=0.0)


@contextlib.contextmanager
def rounded(k: int) -> Iterator[None]:
    """Inside this block a hypothesis reproduces a step within its tolerance plus ROUNDED_SLACK * 10^-k (code that
    rounds its values to k decimals, ``steppatterns.decimal_places``), and is visible only beyond that."""
    token = _slack.set(ROUNDED_SLACK * 10.0 ** -k)
    try:
        yield
    finally:
        _slack.reset(token)


_clip: ContextVar[float | None] = ContextVar("clip", default=None)


@contextlib.contextmanager
def clipped(c: float) -> Iterator[None]:
    """Inside this block every hypothesis's new W (and the right step it is told apart from) is clipped to
    [-c, c] before it is compared: code that clips its weights after the step (``steppatterns.clip_bound``)."""
    token = _clip.set(c)
    try:
        yield
    finally:
        _clip.reset(token)


@contextlib.contextmanager
def searching(seconds: float | None = None) -> Iterator[None]:
    """The search for a step's mistakes inside this block stops trying hypotheses after ``seconds`` (by default
    ``SEARCH_SECONDS``) of the oracle's CPU time."""
    token = _until.set(deadline(SEARCH_SECONDS if seconds is None else seconds))
    try:
        yield
    finally:
        _until.reset(token)


def out_of_time() -> bool:
    """Whether the search's time (``searching``) is spent: the tiers then try no more hypotheses."""
    return _until.get().passed()


def gradient_step(result, only: set[str] | None = None, keys: tuple[str, ...] = STEP_GRADIENT_KEYS
                  ) -> list[Found]:
    """The gradient mistakes (``keys``, or those of them in ``only``) whose right update W - eta grad W, with that
    mistake in grad W, lands within the tolerance of the failing ``result`` (``Found.visible``: and changes the
    step visibly there)."""
    h = _Hypotheses(result)
    found = []
    for key in keys:
        if only is not None and key not in only or out_of_time():
            continue
        within, visible = h.fit((key,), None)
        if within:
            found.append(Found(key, gradient_sentence(key), (key,), visible))
    return found


ONE_EXAMPLE = {"batch_one_example_over_m": ("only one example of the batch counts, divided by m, and not always the "
                                            "last one given: a per-example loop that assigns (=) where it adds "
                                            "(+=), over a batch drawn or shuffled inside the step?", True),
               "batch_one_example": ("only one example of the batch counts, without the 1/m, and not always the "
                                     "last one given: a per-example loop that assigns (=) where it adds (+=), over "
                                     "a batch drawn or shuffled inside the step?", False)}


def one_example_step(result, only: set[str] | None = None) -> list[Found]:
    """A right update of the gradient of one example of the batch alone, any one (``ONE_EXAMPLE``: over m or
    not): the last-example mistakes of the catalogue where the code reorders its batch, so that the one whose
    gradient survives is not the last one given. Tried on each example of the batch of every diagnosed case."""
    i, tol_g = inputs_of(result)
    keys = [key for key in ONE_EXAMPLE if only is None or key in only]
    if i.m < 2 or not keys:
        return []
    u = UNIT_ROUNDOFF[result.case.dtype]
    with np.errstate(all="ignore"):
        alone = [recompute(i.params, i.X[j], i.Y[j]) for j in range(i.m)]     # each example's gradient, once
    found = []
    for key in keys:
        words, over_m = ONE_EXAMPLE[key]
        c = i.k / (i.m if over_m else 1)
        for grad_j in alone:
            g = [(gW * c, gb * c) for gW, gb in grad_j]
            tol_m = step_reproduction_tolerances(i, tol_g, g)
            new = [(W - i.eta * gW, b - i.eta * gb) for (W, b), (gW, gb) in zip(i.params, g)]
            within, visible = fit_mistaken(result.got, new, i, g, tol_m, tol_g, i.eta, u)
            if within:
                found.append(Found(key, f"[{key}] the step descends a gradient with this mistake: {words}", (key,),
                                   visible))
                break
    return found


def one_layer_gradient_step(result, only: set[str] | None = None) -> list[Found]:
    """``gradient_step`` with one gradient mistake at one layer alone (``mistakes.ONE_LAYER``), on the case's
    layers: tried where no mistake of the whole network reproduces the step."""
    return gradient_step(result, only, tuple(k for k, m in ONE_LAYER.items() if m.layer <= result.case.depth))


def _combined_key(gradient_key: str, step_key: str) -> str:
    return f"{gradient_key} + {step_key}"


def combined_step(result, only: set[str] | None = None, keys: tuple[str, ...] = STEP_GRADIENT_KEYS) -> list[Found]:
    """Pairs of a gradient mistake (of ``keys``: the whole network's) and an update mistake (``STEP_MISTAKES``)
    whose step, both made at once,
    lands within the tolerance of the failing ``result`` (``Found.visible`` as for ``gradient_step``; ``only``:
    the combined keys still in question). W^{l+1} updated first changes nothing on one layer, where
    the pair is its gradient mistake alone: a pair is named only where no single mistake reproduces every
    case and each of its parts alone misses some case (``alone_within``, ``stepcheck.diagnose_into``)."""
    h = _Hypotheses(result)
    found = []
    for key in keys:
        for step_key in _BY_KEY:
            if only is not None and _combined_key(key, step_key) not in only or out_of_time():
                continue
            within, visible = h.fit((key,), step_key)
            if within:
                n = 1 + _BY_KEY[step_key].count
                neither = "neither alone" if n == 2 else "neither part alone"
                found.append(Found(_combined_key(key, step_key),
                                   f"[{key} + {step_key}] reproduced together, {n} mistakes ({neither}): "
                                   f"(1) {gradient_sentence(key)}; (2) [{step_key}] {_BY_KEY[step_key].sentence}",
                                   (key, step_key), visible))
    return found


def combined_layer_step(result, only: set[str] | None = None) -> list[Found]:
    """``combined_step`` with a gradient mistake of the output or the hidden layers alone, tried where no whole
    network's pairs with an update mistake (the last input of each hidden unit skipped, with the update order)."""
    return combined_step(result, only, STEP_LAYER_KEYS)


def gradient_pair_step(result, only: set[str] | None = None) -> list[Found]:
    """Two gradient mistakes made at once in a right update, of two different equations (``mistakes.distinct_lines``;
    every such pair, as one that changes nothing on this case may on another); tried last, where no single
    mistake, none under another cost convention and no (gradient, update) pair reproduces every case: e.g. the
    last example alone (a buffer assigned, not added) with sigma'(a) in the hidden layers, or a published bare
    error sent down with a sigma' mistake made on top of it. Every diagnosed step must be reproduced, so the
    broader search (the gradient report pairs only ``mistakes.claimable`` keys, on one case) names no more."""
    return _gradient_pairs(result, only, None)


def gradient_pair_updated_first_step(result, only: set[str] | None = None) -> list[Found]:
    """``gradient_pair_step`` in a step that also updates W^(l+1) before delta^l uses it: three mistakes at once
    (a published bare error sent down by the update-order bug, with a mistake made on top of both); tried last of
    all, and named only where no two of the three reproduce every case (``stepcheck``)."""
    return _gradient_pairs(result, only, "updated_next_first")


_ORDER = {k: n for n, k in enumerate((*STEP_GRADIENT_KEYS, *ONE_LAYER))}


def _in_catalogue_order(keys) -> tuple[str, ...]:
    """Gradient mistakes in the catalogue's order, the whole network's first: how a combination is named."""
    return tuple(sorted(keys, key=_ORDER.get))


def _with_layers(depth: int) -> tuple[str, ...]:
    """The gradient mistakes a step search tries, with every one-layer variant on a net of ``depth`` layers."""
    return (*STEP_GRADIENT_KEYS, *(k for k, m in ONE_LAYER.items() if m.base in STEP_GRADIENT_KEYS
                                   and m.layer <= depth))


def _top_layer_fits(h: _Hypotheses, keys, step_key: str | None) -> list[str]:
    """The gradient mistakes of ``keys`` whose step reproduces the output layer's W'^L, b'^L of ``h``'s result (the
    layers below not compared), where that layer's update is wrong: the output layer's gradient depends on no
    mistake made below it, so one mistake of a pair that reproduces the step must be among these. [] where the
    output layer is right (every mistake made below would fit) or an update mistake is part of the pair."""
    last = len(h.i.params) - 1
    if step_key is not None or h.fit((), None, last)[0]:
        return []
    return [k for k in keys if not out_of_time() and h.fit((k,), None, last)[0]]


def _pair_tries(h: _Hypotheses, step_key: str | None) -> list[tuple[str, str]]:
    """The pairs of gradient mistakes to try, of two slots: first those with a mistake that reproduces the output
    layer alone (``_top_layer_fits``), with every one-layer variant on the case's layers beside it (a published
    output error with a mistake made at one hidden layer); then every pair of whole-network mistakes and of one
    with a ``STEP_LAYER_KEYS`` variant."""
    tops = _top_layer_fits(h, STEP_GRADIENT_KEYS, step_key)
    first = [_in_catalogue_order((t, k)) for t in tops for k in _with_layers(h.result.case.depth)
             if k != t and distinct_lines((t, k))]
    rest = [ks for ks in combinations(STEP_GRADIENT_KEYS, 2) if distinct_lines(ks)]
    rest += [(k, v) for k in STEP_GRADIENT_KEYS for v in STEP_LAYER_KEYS if distinct_lines((k, v))]
    return list(dict.fromkeys(first + rest))


def _gradient_pairs(result, only: set[str] | None, step_key: str | None) -> list[Found]:
    h = _Hypotheses(result)
    if only is None:
        tries = _pair_tries(h, step_key)
    else:
        tries = [tuple(k.split(" + "))[:2] for k in sorted(only)]
    found = []
    for ks in tries:
        if out_of_time():
            break
        within, visible = h.fit(ks, step_key)
        if not within:
            continue
        parts = ks if step_key is None else (*ks, step_key)
        text = f"(1) {gradient_sentence(ks[0])}; (2) {gradient_sentence(ks[1])}"
        if step_key is None:
            text = f"2 mistakes of the gradient (neither alone): {text}"
        else:
            text = (f"3 mistakes (no two of them): {text}; (3) [{step_key}] {_BY_KEY[step_key].sentence}")
        found.append(Found(" + ".join(parts), f"[{' + '.join(parts)}] reproduced together, {text}", parts, visible))
    return found


UPDATE_ORDER = tuple(m.key for m in STEP_MISTAKES if m.key.startswith(("updated_next_first", "updated_output_first"))
                     and "_b_" not in m.key)
# (the update-order bugs, the output layer's alone among them, each with a layer's slip; not those with a slip of a b
# line alone: the layered search reaches them as the update-order bug & that b slip, and they are single mistakes)
CLOSEST = 6        # the single mistakes that bring a layer closest, paired with every other where none reproduces
# (MAX_KEPT and LAYERED_SECONDS, the layered search's combinations carried down and its own time after
# SEARCH_SECONDS, are the gradient search's: ``mistakes``)


def _layered_sentence(parts: tuple[str, ...]) -> str:
    words = [f"[{k}] {_BY_KEY[k].sentence}" if k in _BY_KEY else gradient_sentence(k) for k in parts]
    listed = "; ".join(f"({n}) {w}" for n, w in enumerate(words, 1))
    return f"[{' + '.join(parts)}] reproduced together, {len(parts)} mistakes (no fewer of them): {listed}"


def _changing_output(h: _Hypotheses, keys) -> list[str]:
    """The gradient mistakes of ``keys`` that change the output layer's gradient on ``h``'s case (only those can
    make its update what it is)."""
    right = h._gradient((), False)
    out = []
    for k in keys:
        g = None if out_of_time() else h._gradient((k,), False)
        if right is not None and g is not None and not all(np.array_equal(a, b)
                                                           for a, b in zip(g[0][-1], right[0][-1])):
            out.append(k)
    return out


def _slips_at(first: int, depth: int, part: str) -> tuple[str, ...]:
    """The update mistakes first seen at the layer of index ``first`` of a net ``depth`` layers deep, in its
    ``part`` ("W": its W' and both arrays' slips; "b": its b' alone): one line of that layer's update written
    apart (a sign, a rate, a factor of m, the line missing); at the output layer also those of every layer's step
    alike, which show there first."""
    top = first == depth - 1
    where = _layer_words(-1 if top else first)[2]
    keys = [f"{where}_{part}_{kind}" for kind in LAYER_FACTORS] + [f"{where}_{k}" for k in LAST_ONLY if k[0] == part]
    if part == "W":
        keys += [f"{where}_{kind}" for kind in LAYER_FACTORS if kind not in ARRAY_ONLY]
        keys += ["skipped_output_layer" if top else f"skipped_layer_{first + 1}"]
        keys += [*WHOLE_STEP.values(), "weights_plus_eta", "weights_update_reversed", "update_reversed"] if top else []
    else:
        keys += ["bias_not_updated", "bias_no_eta", "bias_plus_eta", "bias_replaced", "bias_update_reversed",
                 "bias_in_input_loop"] if top else []
    return tuple(k for k in keys if k in _BY_KEY)


def _grown(h: _Hypotheses, base: tuple, first: int, keys, weights_only: bool) -> list[tuple]:
    """The simplest growths of ``base`` (gradient keys, update key or None) that reproduce the layers from index
    ``first`` up (their W' alone where ``weights_only``): one gradient mistake of ``keys`` more; else, at the output
    layer, two; else, in a right update, the update-order bug (with a layer's slip), or a slip of this layer's
    update (``_slips_at``); else either with one gradient mistake more."""
    gks, st = base
    more = [k for k in keys if k not in gks and distinct_lines((*gks, k))]
    tiers = [[((*gks, k), st) for k in more]]
    if not gks and st is None and first == len(h.i.params) - 1:      # the output layer: nothing above it
        tiers.append([(ks, None) for ks in combinations(_changing_output(h, more), 2) if distinct_lines(ks)])
    if st is None or st in BIAS_SLIPS:           # (under a bias line's slip found above: the two together, with
        slips = tuple(s if st is None else f"{s} & {st}" for s in (*UPDATE_ORDER, *_slips_at(first, len(h.i.params),
                                                                                              "W"))
                      if s not in BIAS_SLIPS)         # a gradient mistake among those that bring the layer closest)
        with_one = more if st is None else sorted(more, key=lambda k: h.residual((*gks, k), st, first)
                                                  if not out_of_time() else math.inf)[:CLOSEST]
        tiers += [[(gks, s) for s in slips], [((*gks, k), s) for k in with_one for s in slips]]
    for tier in tiers:
        hits = [c for c in tier if not out_of_time() and h.fit(*c, first, weights_only)[0]]
        if hits:
            return hits
    if first == len(h.i.params) - 1:
        return []
    # Two mistakes first made at this layer (sigma' and the weights the recurrence reads, say): each alone brings
    # the step closer; the closest few are paired with every other.
    close = sorted(more, key=lambda k: h.residual((*gks, k), st, first) if not out_of_time() else math.inf)
    tier = [((*gks, a, k), st) for a in close[:CLOSEST] for k in more if k != a and distinct_lines((*gks, a, k))]
    return [c for c in tier if not out_of_time() and h.fit(*c, first, weights_only)[0]]


def _down_one_layer(h: _Hypotheses, kept: list[tuple], first: int, keys: tuple[str, ...]) -> list[tuple]:
    """The combinations (gradient keys, update key or None) that reproduce the layers from index ``first`` up:
    each of ``kept`` (which reproduce the layers above) as it is, else grown until the layer's W' is reproduced
    (``_grown``; at the output layer two mistakes where one does not), then its b' (one mistake of grad b more, or
    a slip of its b line, where needed: a bias line's mistake changes b' alone)."""
    bias = tuple(k for k in keys if mistake(k).slot == "grad b")
    others = tuple(k for k in keys if mistake(k).slot != "grad b")
    out: list[tuple] = []
    for c in kept:
        if out_of_time() or len(out) >= MAX_KEPT:
            break
        if h.fit(*c, first)[0]:
            out.append(c)
            continue
        weighted = [c] if h.fit(*c, first, True)[0] else _grown(h, c, first, others, True)
        for w in weighted[:MAX_KEPT]:
            grown = [((*w[0], k), w[1]) for k in bias if k not in w[0] and distinct_lines((*w[0], k))]
            if w[1] is None or w[1] not in BIAS_SLIPS and " & " not in w[1]:   # a bias line's slip on top
                grown += [(w[0], s if w[1] is None else f"{w[1]} & {s}") for s in _slips_at(first, len(h.i.params),
                                                                                          "b")]
            out += [w] if h.fit(*w, first)[0] else [c for c in grown if not out_of_time() and h.fit(*c, first)[0]]
    return list(dict.fromkeys(out))[:MAX_KEPT]


def layered_step(result, only: set[str] | None = None) -> list[Found]:
    """Three or four mistakes at once, found layer by layer: a layer's update depends on no mistake made below it,
    so the combinations that reproduce the output layer alone are found first, then each is carried down a layer,
    as it is or with one mistake more (a gradient mistake, a one-layer variant on the case's layers among them, or
    the update-order bug with a layer's slip), keeping those that reproduce every layer so far. Published code with
    two or three bugs and a slip made on top; tried last of all, and named only where no fewer of its mistakes
    reproduce every case (``stepcheck``)."""
    h = _Hypotheses(result)
    if only is not None:
        tries = [tuple(k.split(" + ")) for k in sorted(only)]
    else:
        keys = _with_layers(result.case.depth)
        kept = [((), None)]
        for first in range(len(h.i.params) - 1, -1, -1):
            kept = _down_one_layer(h, kept, first, keys)
        tries = list(dict.fromkeys(ps for gks, st in kept
                                   if len(ps := (*_in_catalogue_order(gks), *(st.split(" & ") if st else ()))) >= 2))
    found = []
    for parts in tries:
        if out_of_time():
            break
        grads, steps = _split(parts)
        if not _one_update(steps):
            continue
        within, visible = h.fit(grads, " & ".join(steps) or None)
        if within:
            found.append(Found(" + ".join(parts), _layered_sentence(parts), parts, visible))
    return found


def one_more(parts: tuple[str, ...], depth: int) -> set[str]:
    """The keys of ``parts`` (gradient and update mistakes) with one gradient mistake more (a one-layer variant on a
    net of ``depth`` layers among them), in ``layered_step``'s form, for its ``only``."""
    grads, steps = _split(parts)
    return {" + ".join((*_in_catalogue_order((*grads, k)), *steps)) for k in _with_layers(depth)
            if k not in grads and distinct_lines((*grads, k))}


def recomputable(keys: tuple[str, ...]) -> bool:
    """Whether ``keys_reproduce`` can recompute a step with ``keys``: each a catalogued gradient or update mistake."""
    return all(k in _BY_KEY or k in CATALOGUE or k in ONE_LAYER for k in keys)


def _split(parts: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the gradient mistakes, the update mistakes) of a hypothesis's keys, each in its order. A key that names
    both (``mean_twice``: 1/m twice in the gradient, or in the update, the same step) is read as the gradient's,
    so that an update mistake found beside it is the one update."""
    def update(p: str) -> bool:
        return p in _BY_KEY and p not in CATALOGUE
    return tuple(p for p in parts if not update(p)), tuple(p for p in parts if update(p))


def _one_update(steps: tuple[str, ...]) -> bool:
    """Whether the update mistakes ``steps`` make one update: none, one, or one with a bias line's slip said last
    (``_Hypotheses._step``'s "A & B"); two that are not, or three, make none."""
    return len(steps) <= 1 or len(steps) == 2 and steps[0] not in BIAS_SLIPS and steps[1] in BIAS_SLIPS


def reproduced(result, hypotheses: list[tuple[str, ...]]) -> list[bool]:
    """For each hypothesis (catalogued gradient mistakes, and at most one update mistake of ``STEP_MISTAKES``, made
    at once): whether its step lands within the reproduction tolerance of the failing ``result`` (one reading of
    the step's inputs and the oracle's gradient serves them all)."""
    h = _Hypotheses(result)
    out = []
    for keys in hypotheses:
        grads, steps = _split(keys)
        out.append(_one_update(steps) and h.fit(grads, " & ".join(steps) or None)[0])
    return out


def same_step(result, hypotheses: list[tuple[str, ...]]) -> bool:
    """Whether every hypothesis (as for ``reproduced``) makes the same step on the failing ``result``, each W' and
    b' compared (not a bias a network without biases lacks) within 1e-9 of the first's relative to the largest
    element moved: mistakes that differ only on other sizes (one acting only from two hidden layers on, on a net of
    one) or on biases the net lacks are the same code here."""
    h = _Hypotheses(result)
    compared = [not np.all(np.isinf(t)) for pair in h.tol_g for t in pair]
    start = [a for pair in h.i.params for a in pair]
    steps = []
    for keys in hypotheses:
        grads, slips = _split(keys)
        out = h._step(grads, " & ".join(slips) or None) if _one_update(slips) else None
        if out is None:
            return False
        steps.append([a for pair in out[0] for a in pair])
    return all(np.allclose(a, b, rtol=1e-9, atol=1e-9 * max(1e-300, float(np.max(np.abs(b - p)))))
               for other in steps[1:] for a, b, p, c in zip(other, steps[0], start, compared) if c)


def keys_reproduce(result, keys: tuple[str, ...]) -> bool:
    """Whether the step with the catalogued mistakes ``keys`` lands within the reproduction tolerance of the
    failing ``result`` (``reproduced`` of one hypothesis)."""
    return reproduced(result, [keys])[0]


def alone_within(result, pair: tuple[str, str]) -> tuple[bool, bool]:
    """For a (gradient key, update key) ``pair``: whether the gradient mistake alone (a right update) and the
    update mistake alone (the oracle's own gradient) land within the reproduction tolerance of ``result``; a
    pair is needed only where each alone misses some case."""
    h = _Hypotheses(result)
    return h.fit((pair[0],), None)[0], h.fit((), pair[1])[0]
