"""The extreme draws: parameters and data at the ends of the dtype's range, where the range-careful code of a
backend (scaled products, overflow fallbacks, "beyond range" refusals) is the code that runs.

Each tensor (every W^l, b^l, x and y) takes one *regime*, its entries sign * f * 2^E with f uniform in [1, 2):
``unit`` (E near 0), ``saturating`` (E 3..9: |z| of tens to thousands, sigma' tiny or 0), ``huge`` (E from half
the exponent range up to the largest: products overflow, z beyond range), ``tiny`` (down into the subnormals),
``mixed`` (every entry its own E over the whole range: rows with huge and small entries side by side),
``large`` for W (E 8..63), ``rows`` for W (each row unit-sized or near the largest: z overflows in some rows
and is moderate in others), ``edge`` for y (|y| ~ sqrt(max): the cost just in or just beyond range),
and for b ``zero`` and ``dead`` (far below 0: the layer's units saturate at 0).
Targets y are ``unit`` (the usual [0, 1]) or up to the largest finite value, so (a - y)^2 overflows
with the cost in range or beyond it (|y| ~ 1e154 in float64). Besides the regimes, from a stream of their own
(so the other draws stay as they are), some cases get a template (their shares are the constants below): a
gradient beyond range (``_beyond``: only some inputs near the largest value, so that it is partly beyond range), a
z whose sum overflows though its terms do not (``_sum_overflows``), a plain z that overflows to the wrong sign or
to NaN (``_wrong_sign``), a delta whose largest entry, more than the dtype's range above the others, meets zero
weights (``_zero_weight``, depth 3 or more; in half the cases with three units or more under the output, that
delta also holds an exact 0), or targets mixing sqrt(max) and unit entries, with four outputs or more three or
more of one sign in every row (``_edge_rows``); depth-2 cases with two outputs or more and a batch, from the
zero-weight share to the edge one, are a batch whose delta^1 rows span past the range with their largest entry
meeting an input 0 (a product without a factor recomputed element by element: ``_spanning_batch``); the others
with one output and a batch of 5 or more are m equal examples whose scaled sums need headroom for their m terms
and whose examples' own gradients summed overflow (``_coherent``; batches go up to 16). Of the cases no template
took, from a third stream, some float32 deep batches get a delta^(L-1) beyond float32's range whose batch sums
cancel into range (``_cancelling``: a careful path must widen to float64), and some float64 deep batches with two
inputs and outputs a recomputed grad W^1 element whose products' exponents all cancel (``_exponent_pairs``).
Apart from all these, a case with a batch beyond MAX_BATCH (``cases.draw_extreme_cases`` may add a few, with
``WIDE_SIZES`` and a batch of ``WIDE_BATCH`` or more) is a depth-1 batch whose gradient sums more than 2^16
examples (``_wide_batch``): the width careful.py's headroom and recomputation steps are sized by.
The mutation benchmark and issue 25 found the careful code unguarded there. This module draws values only;
``cases`` says which case is extreme and ``longdouble`` gives the reference there.
"""

from __future__ import annotations

import numpy as np

MAX_WIDTH, MAX_DEPTH, MAX_BATCH = 16, 4, 16    # extreme cases stay small: their reference runs in long double

_REGIMES = {
    "x": (("unit", 0.3), ("huge", 0.25), ("tiny", 0.15), ("mixed", 0.3)),
    "W": (("unit", 0.15), ("saturating", 0.15), ("large", 0.15), ("huge", 0.15), ("rows", 0.15), ("tiny", 0.1),
          ("mixed", 0.15)),
    "b": (("unit", 0.4), ("huge", 0.15), ("tiny", 0.1), ("zero", 0.1), ("dead", 0.1), ("mixed", 0.15)),
    "y": (("unit", 0.25), ("huge", 0.3), ("edge", 0.25), ("tiny", 0.05), ("mixed", 0.15)),
}


def _tensor(rng: np.random.Generator, shape: tuple[int, ...], role: str, dtype: np.dtype,
            regime: str | None = None) -> np.ndarray:
    """One tensor of ``shape`` in ``regime`` (default: one drawn for ``role``; see the module docstring)."""
    fi = np.finfo(dtype)
    top, bottom = fi.maxexp - 1, fi.minexp - fi.nmant          # largest exponent of a finite f * 2^E; subnormals
    if regime is None:
        names, p = zip(*_REGIMES[role])
        regime = names[int(rng.choice(len(names), p=np.array(p) / sum(p)))]
    if regime == "zero":
        return np.zeros(shape, dtype)
    if regime == "unit" and role == "y":
        return rng.random(shape).astype(dtype)
    if regime == "unit":
        E = rng.integers(-3, 2, size=shape)
    elif regime == "saturating":
        E = rng.integers(3, 10, size=shape)
    elif regime == "dead":                                   # z^l far below 0 whatever W a is: a = sigma(z) ~ e^z
        return -np.ldexp(rng.uniform(1.0, 2.0, size=shape), rng.integers(6, 13, size=shape)).astype(dtype)
    elif regime == "rows":                                   # each row unit-sized or near the largest
        E = np.where(rng.random(shape[:1] + (1,) * (len(shape) - 1)) < 0.5, rng.integers(-2, 3, size=shape),
                     rng.integers(top - 3, top + 1, size=shape))
    elif regime == "edge":                                   # |y| ~ sqrt(max): C = y^2 / 2 just in or out of range
        E = np.full(shape, int(rng.integers(top // 2, top // 2 + 2)))
    elif regime == "large":
        E = np.full(shape, int(rng.integers(8, min(64, top // 2))))
    elif regime == "huge":
        lo = int(rng.integers(top // 2 - 16, top))
        E = rng.integers(lo, top + 1, size=shape) if rng.random() < 0.5 else np.full(shape, lo)
    elif regime == "tiny":
        E = rng.integers(bottom, fi.minexp + 8, size=shape)
    else:
        E = rng.integers(bottom, top + 1, size=shape)
    f = rng.uniform(1.0, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    with np.errstate(under="ignore"):
        return np.ldexp(f, E).astype(dtype)


def materialise(sizes: tuple[int, ...], batch: int, dtype: str, seed: int):
    """``(params, x, y)`` of an extreme case, in ``dtype``; the same arguments always give the same arrays.

    Four in ten deep cases follow one template, the case a backend's careful backward pass exists for: huge y,
    large W^L, a moderate output z^L, and below it a layer of dead units (b^(L-1) far below 0, so sigma'(z^(L-1))
    is tiny, or 0 once rounded) or of live ones: the cotangent (W^L)^T delta^L overflows, and delta^(L-1), that
    times sigma'(z^(L-1)), and every gradient may be in range (dead units) or beyond it (live ones)."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    L = len(sizes) - 1
    regimes: dict[tuple[str, int], str] = {}
    if L >= 2 and rng.random() < 0.4:                          # the overflowing cotangent (see materialise)
        regimes = {("W", L - 1): "unit", ("b", L - 1): "dead" if rng.random() < 0.6 else "unit",
                   ("W", L): "large", ("b", L): "unit", ("y", 0): "huge", ("x", 0): "unit"}
    params = [(_tensor(rng, (n, n_prev), "W", dt, regimes.get(("W", l))),
               _tensor(rng, (n,), "b", dt, regimes.get(("b", l))))
              for l, (n_prev, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1)]
    lead = (batch,) if batch else ()
    x = _tensor(rng, lead + (sizes[0],), "x", dt, regimes.get(("x", 0)))
    y = _tensor(rng, lead + (sizes[-1],), "y", dt, regimes.get(("y", 0)))
    if batch > MAX_BATCH:                                      # only the wide draws (``WIDE_BATCH``): every other
        return _wide_batch(np.random.default_rng([seed, 4]), params, x, y, dt)   # case is as it was
    side = np.random.default_rng([seed, 2])                    # its own stream: the draws above stay as they were
    r = side.random()
    if not regimes and r < BEYOND:
        params, x, y = _beyond(side, params, x, y, dt)
    elif not regimes and r < BEYOND + SUM_OVERFLOWS:
        params, x = _sum_overflows(side, params, x, dt)
    elif not regimes and r < BEYOND + SUM_OVERFLOWS + WRONG_SIGN and sizes[0] >= 2:
        params, x = _wrong_sign(side, params, x, dt)
    elif r < BEYOND + SUM_OVERFLOWS + WRONG_SIGN + ZERO_WEIGHT and L >= 3 and min(sizes[-2:]) >= 2:
        params, y = _zero_weight(side, params, y, dt)
    elif BEYOND + SUM_OVERFLOWS + WRONG_SIGN <= r <= 1 - EDGE_ROWS and L == 2 and sizes[-1] >= 2 and batch >= 2:
        params, x, y = _spanning_batch(side, params, x, y, dt)
    elif r > 1 - EDGE_ROWS:
        y = _edge_rows(side, y, dt)
    elif L >= 2 and sizes[-1] == 1 and sizes[-2] >= 2 and batch >= COHERENT_BATCH:
        params, y = _coherent(side, params, batch, dt)
    elif dt == np.float32 and L >= 2 and batch >= 2:           # the rest; its own stream: the draws above stay
        third = np.random.default_rng([seed, 3])
        if third.random() < CANCELLING:
            params, x, y = _cancelling(third, params, x, y, dt)
    elif dt == np.float64 and L >= 2 and batch >= 3 and sizes[0] >= 2 and sizes[-1] >= 2:
        third = np.random.default_rng([seed, 3])
        if third.random() < EXPONENT_PAIRS:
            params, x, y = _exponent_pairs(third, params, x, y, dt)
    return params, x, y


BEYOND = 0.1      # extreme cases drawn so that grad W^1 = delta^1 x^T is beyond the range (``_beyond``)
SUM_OVERFLOWS = 0.1  # ... so that z^1 = W^1 x + b^1 overflows though neither term does (``_sum_overflows``)
EDGE_ROWS = 0.15  # ... so that y mixes entries near sqrt(max) with unit ones (``_edge_rows``)
WRONG_SIGN = 0.15  # ... so that the plain z^1 is +-inf of the wrong sign, or NaN (``_wrong_sign``)
ZERO_WEIGHT = 0.25  # ... so that delta^(L-1)'s huge largest entry meets zero weights (``_zero_weight``)
COHERENT_BATCH = 5  # the other cases with one output and a batch of at least this many: ``_coherent``
CANCELLING = 0.5  # float32 cases of depth 2 or more with a batch and no template above: ``_cancelling``
EXPONENT_PAIRS = 0.7  # float64 deep cases, two outputs and inputs, batch 3 or more, no template: that one
WIDE_BATCH = (1 << 16) + 1  # the least batch of a ``_wide_batch`` case: beyond careful._elements_scaled's block
WIDE_SIZES = (3, 2)         # ... and its net: one layer, so that its long-double reference stays small


def _unit(rng: np.random.Generator, params, dtype: np.dtype):
    """Every W^l and b^l of ``params``' shapes drawn anew in the ``unit`` regime: a template's moderate layers."""
    return [(_tensor(rng, W.shape, "W", dtype, "unit"), _tensor(rng, b.shape, "b", dtype, "unit"))
            for W, b in params]


def _sum_overflows(rng: np.random.Generator, params, x, dtype: np.dtype):
    """z^1 = W^1 x + b^1 where neither W^1 x nor b^1 overflows but their sum does: x all ones, each row of W^1
    summing to +-3/4 of the largest value and b^1 the same with the same sign. z^1 is beyond range (sigma = 1 or
    0 exactly) only if the overflowing sum is redone with the right terms; the layers above are unit-sized, so
    that a wrong z^1 shows in the output and every gradient."""
    big = 0.75 * float(np.finfo(dtype).max)
    params = _unit(rng, params, dtype)
    W1, _ = params[0]
    s = rng.choice([-1.0, 1.0], size=(W1.shape[0], 1))
    W1 = np.broadcast_to(s * (big / W1.shape[1]), W1.shape).astype(dtype)
    b1 = (s[:, 0] * big).astype(dtype)
    return [(W1, b1)] + params[1:], np.ones(x.shape, dtype)


def _edge_rows(rng: np.random.Generator, y, dtype: np.dtype):
    """y whose entries are each near sqrt(max) (so (a - y)^2 may overflow while C is in range) or unit-sized: a
    cost computed in scaled form must scale by its largest entry, not its smallest. With four outputs or more,
    every row has at least three entries near sqrt(max), all of one sign (drawn per case), beside at least one
    unit one: a row's plain sum of squares overflows, C is in range, and the largest signed a - y is a unit one
    (for y > 0) or the largest |a - y| (for y < 0), so a scale taken from max(a - y), not max |a - y|, shows."""
    top = np.finfo(dtype).maxexp - 1
    n = y.shape[-1]
    if n >= 4:
        sign = rng.choice([-1.0, 1.0])
        rows = y.reshape(-1, n)
        k = rng.integers(3, n, size=(rows.shape[0], 1))                  # 3 .. n - 1 entries near sqrt(max)
        big = (np.argsort(rng.random(rows.shape), axis=1).argsort(axis=1) < k).reshape(y.shape)
    else:
        sign = rng.choice([-1.0, 1.0], size=y.shape)
        big = rng.random(y.shape) < 0.5
    edge = np.ldexp(rng.uniform(1.0, 1.4, size=y.shape) * sign, top // 2)
    return np.where(big, edge, rng.random(y.shape)).astype(dtype)


def _beyond(rng: np.random.Generator, params, x, y, dtype: np.dtype):
    """A case whose gradient is beyond the dtype's range while z^1 is moderate: y and some inputs x_k (at least
    one, the others unit-sized) near the largest value, W^1 of the inverse size (z^1 = W^1 x of order 1), so
    delta^1 is near the largest value too and grad W^1 = delta^1 x^T far beyond it in those columns only. A
    backend must refuse it (a ValueError: no answer is right), though most of its elements are in range."""
    top = np.finfo(dtype).maxexp - 1

    def near(shape, e):
        return np.ldexp(rng.uniform(1.0, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape), e).astype(dtype)

    W1, b1 = params[0]
    with np.errstate(under="ignore"):
        W1 = near(W1.shape, -(top - 1) - int(np.ceil(np.log2(W1.shape[1]))))
    columns = rng.random(x.shape[-1]) < 0.5                  # the inputs k near the largest value, the rest unit
    columns[rng.integers(x.shape[-1])] = True
    x = np.where(columns, near(x.shape, top - 1), near(x.shape, 0))
    return [(W1, b1)] + params[1:], x, near(y.shape, top - 1)


def _coherent(rng: np.random.Generator, params, m: int, dtype: np.dtype):
    """A batch of ``m`` >= 5 equal examples into one output unit, with grad W^L = sum_i delta^L_i a^(L-1)_i a sum of
    m equal terms, each within a factor 2^(2 + log2 m) of overflowing once scaled: a scaled product must leave
    headroom for the m terms it sums, not for the rows it has. In range, but reached only by the careful path:
    unit k of layer L-1 is dead (b = -2000: a = sigma' = 0 exactly) under W^L_k = 1.5 * 2^20, so the plain
    (W^L)^T delta^L times sigma' is inf * 0 (W^L_k no larger: the bound takes a dead unit's a and sigma' as known
    to about u, and W^L_k times that must stay far inside the range, or nothing here is checked). The other
    units of L-1 sit at a = sigma(5) for every example (W^(L-1) = 0), b^L puts z^L in [-1, 1]; y is the same large
    negative value in every row, from a half to 0.99 of the largest, chosen so that delta^L is 0.99 * 2^e: grad b^L
    = m delta^L is then a tenth to a quarter of the largest, so that the m examples' own gradients (m delta^L each,
    before the batch mean) summed overflow for m above 8 or so (the batch goes up to ``MAX_BATCH``), though their
    mean is in range."""
    top = np.finfo(dtype).maxexp - 1
    params = _unit(rng, params, dtype)
    (W_below, _), (WL, _) = params[-2], params[-1]                # W^(L-1), W^L
    dead = int(rng.integers(W_below.shape[0]))
    b_below = np.full(W_below.shape[0], 5.0)                       # b^(L-1)
    b_below[dead] = -2000.0
    WL = WL.astype(np.float64)
    WL[0, dead] = 1.5 * 2.0**20
    alive = np.arange(b_below.size) != dead
    zL = rng.uniform(-1.0, 1.0)                                # z^L: moderate, so sigma'(z^L) is near 1/4
    bL = zL - WL[0, alive].sum() / (1 + np.exp(-5.0))          # a^(L-1) = sigma(5) or 0
    aL = 1 / (1 + np.exp(-zL))
    s = aL * (1 - aL) / m                                      # delta^L = (a^L - y) s, with n_L = 1
    y = -np.ldexp(0.99, top + 1 + int(np.floor(np.log2(s)))) / s
    params[-2] = (np.zeros_like(W_below), b_below.astype(dtype))
    params[-1] = (WL.astype(dtype), np.array([bL], dtype))
    return params, np.full((m, 1), y, dtype)


def _wrong_sign(rng: np.random.Generator, params, x, dtype: np.dtype):
    """z^1 = W^1 x + b^1 whose plain sum is +-inf with the wrong sign, or NaN, though the true z^1 is in range:
    x = 4 throughout and, per unit (row of W^1, sign s drawn per row), either one product s c max (c in [1.1,
    1.4): beyond range, inf whatever the order of the sum) against the others and b^1, which together give
    -s (c + g) max (each finite, g in [0.05, 0.45)): z^1 = -s g max, while the plain sum is s inf; or two
    products beyond range with opposite signs (inf - inf = NaN), z^1 = (c1 - c2) max. sigma(z^1) is 0 or 1,
    the plain z's the opposite (or NaN), unless the overflowing sum is redone; the layers above are unit-sized, so
    that a wrong z^1 shows in the output and every gradient. In half the cases with two units or more, one unit
    keeps its unit-sized weights and every other one overflows to the wrong sign, so that z^1 mixes finite and
    wrong entries and no NaN (a redo asked only when every entry overflowed misses them, and nothing downstream
    is non-finite to call for one)."""
    big = float(np.finfo(dtype).max)
    params = _unit(rng, params, dtype)
    W1, _ = params[0]
    n, n_in = W1.shape
    s = rng.choice([-1.0, 1.0], size=n)
    W, b = np.zeros((n, n_in)), np.zeros(n)

    def wrong_sign(j: int) -> None:                            # s inf in the plain sum, -s g max in truth
        c, g = rng.uniform(1.1, 1.4), rng.uniform(0.05, 0.45)
        W[j] = np.r_[c, np.full(n_in - 1, -(c + g) / 2 / (n_in - 1))] * s[j] * (big / 4)
        b[j] = -s[j] * (c + g) / 2 * big

    nan = rng.random(n) >= 0.5
    for j in range(n):
        if not nan[j]:
            wrong_sign(j)
        else:                                                  # inf - inf in the plain sum, (c1 - c2) max in truth
            c1, c2 = rng.uniform(1.1, 1.9, size=2)
            W[j, :2] = s[j] * c1 * (big / 4), -s[j] * c2 * (big / 4)
    if n >= 2 and rng.random() < 0.5:
        for j in np.flatnonzero(nan):                          # no NaN (it makes every gradient NaN, a sure redo)
            W[j], b[j] = 0.0, 0.0
            wrong_sign(j)
        j = int(rng.integers(n))                               # one unit left unit-sized: its plain z is finite
        W[j], b[j] = W1[j], params[0][1][j]
    return [(W.astype(dtype), b.astype(dtype))] + params[1:], np.full(x.shape, 4.0, dtype)


def _zero_weight(rng: np.random.Generator, params, y, dtype: np.dtype):
    """A net of depth 3 or more whose delta^(L-1) has rows spanning far more than the dtype's range, their largest
    entry meeting exact zero weights: (W^(L-1))^T delta^(L-1) is then a sum of the small entries only, which a
    product scaled by the rows' largest entries loses to underflow (issue 25).

    Output 0 has y_0 near the largest value and takes unit 0 of layer L-1 alone, through W^L_00 = B with
    b^L_0 = -B; that unit is saturated near 1 (b^(L-1)_0 = 0.3 to 0.45 times the mantissa's bits, sigma' ~ e^-b)
    and B sigma' is of order 1, so z^L_0 is moderate, delta^(L-1)_0 ~ delta^L_0 z^L_0 is near the largest value,
    and B delta^L_0 overflows, which sends the gradient into the careful path. The other outputs (unit y) reach
    layer L-1 only through weights 2^-q, so delta^(L-1)_j ~ 2^-q for j >= 1, with q drawn so that the range of
    delta^(L-1), about 2^(top + q), is 2^8 to 2^60 beyond 2^(top/2 - minexp) (2^1532 in float64; in float32,
    2^188, the range a backend that stays in float32 must handle). Row 0 of W^(L-1) is zero, so delta^(L-2) =
    (W^(L-1))^T delta^(L-1) sigma' comes from the small entries only, of order 2^-q, far inside the range, as is
    every gradient; the layers below are unit-sized.

    With three units or more in layer L-1, half the cases also zero column j >= 1 of W^L, so that delta^(L-1)_j is
    0 exactly in every example: each row of delta^(L-1) then holds an exact zero beside its huge and small entries
    (a scaled product that passes over rows holding a zero loses their elements too)."""
    fi = np.finfo(dtype)
    top = fi.maxexp - 1
    params = _unit(rng, params, dtype)
    (W_below, b_below), (WL, bL) = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params[-2:]]
    W_below[0] = 0.0
    b_below[0] = rng.uniform(0.3, 0.45) * fi.nmant             # 16..23 in float64, 7..10 in float32
    B = np.exp(b_below[0]) * rng.uniform(0.5, 4.0)             # z^L_0 = B (a_0 - 1) ~ -B sigma'_0: moderate
    q = int(top // 2 - fi.minexp - top + rng.integers(8, 60))
    with np.errstate(under="ignore"):
        WL = np.ldexp(rng.uniform(1.0, 2.0, size=WL.shape) * rng.choice([-1.0, 1.0], size=WL.shape), -q)
    WL[0] = 0.0
    WL[:, 0] = 0.0
    WL[0, 0], bL[0] = B, -B
    y = np.array(y, np.float64)
    y[..., 0] = rng.choice([-1.0, 1.0]) * np.ldexp(rng.uniform(1.0, 1.9), top)
    y[..., 1:] = rng.random(y[..., 1:].shape)
    if W_below.shape[0] >= 3 and rng.random() < 0.5:          # drawn last: the draws above stay as they were
        WL[:, int(rng.integers(1, W_below.shape[0]))] = 0.0    # delta^(L-1)_j = 0 exactly, for some j >= 1
    params[-2] = (W_below.astype(dtype), b_below.astype(dtype))
    params[-1] = (WL.astype(dtype), bL.astype(dtype))
    return params, y.astype(dtype)


def _spanning_batch(rng: np.random.Generator, params, x, y, dtype: np.dtype):
    """A depth-2 batch whose rows of delta^1 span far more than the dtype's range across the examples, their
    largest entry (example 0) meeting an exact zero input: in grad W^1 = (delta^1)^T x, a product without a factor,
    the elements of input 0 are then sums of the small entries only, which ``careful._rows_scaled`` recomputes one
    by one.

    Example 0 has x_0 = 0, the others x_0 = 1, and every other input is the same in all examples. Hidden unit 0
    reads x_0 alone (W^1_00 = 60, b^1_0 = -30: z = -30 or 30, sigma' ~ 1e-13 either way; no other unit reads it),
    and output 0 reads unit 0 through W^2_00 = 2^20, b^2_0 putting z^2_0 at 0 in example 0. There y_0 is near
    2^(top - 4), delta^2_0 within 2^-8 of the largest value and (W^2)^T delta^2 overflows (the careful path); in
    the others z^2_0 ~ 2^20 saturates output 0 (a = 1, sigma' = 0: delta^2_0 = 0 exactly). The other outputs (unit
    y) reach the hidden layer only through weights 2^-q, so delta^1 is of order 2^-q in examples 1.. and up to
    2^(top - 7) in example 0: a span past 2^(top/2 - minexp) (2^1532 in float64; a float32 net's careful path runs
    in float64, where float32's range does not reach it). Every gradient is in range, but the elements that the
    recomputation changes are far below their tolerance (a saturated unit's sigma' is known to about u): this
    makes the default run take that path (a crash there fails it), not check its digits."""
    fi = np.finfo(dtype)
    top = fi.maxexp - 1
    params = _unit(rng, params, dtype)
    (W1, b1), (W2, b2) = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
    x = np.broadcast_to(rng.uniform(-1.0, 1.0, size=x.shape[-1]), x.shape).copy()
    x[:, 0] = 1.0
    x[0, 0] = 0.0
    W1[:, 0] = 0.0
    W1[0] = 0.0
    W1[0, 0], b1[0] = 60.0, -30.0
    q = min(int(top // 2 - fi.minexp - top + rng.integers(24, 76)), -fi.minexp - 1)
    with np.errstate(under="ignore"):
        W2[1:] = np.ldexp(rng.uniform(1.0, 2.0, size=W2[1:].shape) * rng.choice([-1.0, 1.0], size=W2[1:].shape), -q)
    W2[0, 0] = 2.0**20
    W1, b1, x = W1.astype(dtype), b1.astype(dtype), x.astype(dtype)
    with np.errstate(over="ignore"):
        a1 = 1 / (1 + np.exp(-(x[0].astype(np.float64) @ W1.T.astype(np.float64) + b1)))   # example 0's hidden layer
    b2[0] = -(W2[0] @ a1)
    y = np.array(y, np.float64)
    y[...] = rng.random(y.shape)
    y[0, 0] = rng.choice([-1.0, 1.0]) * np.ldexp(rng.uniform(1.0, 1.9), top - 4)
    return [(W1, b1), (W2.astype(dtype), b2.astype(dtype))], x, y.astype(dtype)



def _cancelling(rng: np.random.Generator, params, x, y, dtype: np.dtype):
    """A float32 batch whose delta^(L-1)_0 is beyond float32's range in two examples while every gradient is in
    range: their huge entries cancel in the batch sums. Every example has the same x (so the same activations);
    every output has y = +Y in example 0 and -Y in example 1 (Y near float32's largest value), unit y elsewhere,
    and reads unit 0 of layer L-1 through W^L_j0 = 2^K, with b^L = -W^L a^(L-1) (z^L near 0). Unit 0 reads nothing
    (W^(L-1)_0 = 0, b = 0: a = 1/2 to its rounding, so z^L is known to about 2^(K - 20)), and K is drawn so that
    delta^(L-1)_0 = 2^K (1/2 -+ Y) / (16 m) is 2^2 to 2^4 beyond the largest float32 in examples 0 and 1. Its sums
    over the batch (grad b^(L-1)_0, grad W^(L-1)_0) are (1 + unit terms) times 2^K / (16 m), and every other
    gradient is a sum of terms in range: all in range by more than their bounds (about 2^-8 of the summands). The
    plain float32 (W^L)^T delta^L overflows, so grad takes the careful path; a careful path that stays in float32
    (``careful._in_range`` without its float64 copies) gets delta^(L-1)_0 = +-inf there, a NaN gradient, and
    refuses a gradient in range."""
    top = np.finfo(dtype).maxexp - 1
    params = _unit(rng, params, dtype)
    m = x.shape[0]
    x = np.broadcast_to(rng.uniform(-1.0, 1.0, size=x.shape[-1]), x.shape).astype(dtype)
    W_below, b_below = params[-2]
    W_below, b_below = W_below.copy(), b_below.copy()
    W_below[0], b_below[0] = 0.0, 0.0
    params[-2] = (W_below, b_below)
    a = x[0].astype(np.float64)
    for W, b in params[:-1]:                                   # the activations of layer L-1 (the same for all)
        a = 1 / (1 + np.exp(-(W.astype(np.float64) @ a + b.astype(np.float64))))
    WL = params[-1][0].astype(np.float64)
    Y = np.ldexp(rng.uniform(1.0, 1.9), top)
    target = int(rng.integers(top + 3, top + 5))              # log2 |delta^(L-1)_0| of examples 0 and 1
    K = target - int(np.floor(np.log2(Y / (16 * m))))
    WL[:, 0] = 2.0**K
    bL = -(WL.astype(dtype).astype(np.float64) @ a)
    y = rng.random(y.shape)
    y[0], y[1] = Y, -Y
    params[-1] = (WL.astype(dtype), bL.astype(dtype))
    return params, x, y.astype(dtype)



def _exponent_pairs(rng: np.random.Generator, params, x, y, dtype: np.dtype):
    """A float64 batch whose grad W^1_00 = sum_i delta^1_i0 x_i0 is recomputed element by element, every product
    of it having exponents that cancel (frexp: e(x_i0) = -e(delta^1_i0), so each product is in [1/4, 1)).

    A chain carries output 0 down to unit 0 of layer 1: W^l_00 = 1, the rest of row 0 and column 0 of W^l zero,
    b^l_0 = -1/2 (b^1_0 = 0, row 0 of W^1 zero), so a = 1/2 and sigma' = 1/4 exactly along it, in every example
    (inputs 0 and 1 are read by no unit, and the other inputs are the same in every example, so every activation
    is). Output 0 has y = +Y and -Y (Y near the largest value) in examples 0 and 1 and 1/2 (delta = 0) in the
    others; output 1 reads unit 0 of layer L-1 alone through 2^-560 (z = 2^-561, sigma' = 1/4) with y = 1/8, so
    delta^1_i0 is -+Y / (4 n_L m) 4^-(L-1) in examples 0 and 1 and 2^-560 (3/32) / (n_L m) 4^-(L-1) in the others:
    a row spanning some 2^1585, against x_i0 = 3/4 2^-e(delta^1_i0) (2^-1010 to 2^580), a sum of products of order
    1 between rows whose largest entries are far apart, which careful._rows_scaled recomputes. x_i1 = 2^(1026 -
    e(delta^1_00)) in every example makes the plain grad W^1_01 inf - inf, so grad takes the careful path. Every
    gradient is in range (the huge terms cancel over the batch; x_i0 times a unit delta stays under 2^590). A
    recomputation that takes its scale from where the exponents are nonzero instead of where both mantissas are
    (the mutation benchmark's ``np.where(p, ...)``) gets 2^2146 times a product of order 1 there: inf, and a
    refusal of a gradient in range."""
    top = np.finfo(dtype).maxexp - 1
    params = [(W.astype(np.float64), b.astype(np.float64)) for W, b in _unit(rng, params, dtype)]
    L, m = len(params), x.shape[0]
    n_L = params[-1][0].shape[0]
    for l, (W, b) in enumerate(params, start=1):
        W[0], W[:, 0] = 0.0, 0.0
        if l == 1:
            W[:, :2], b[0] = 0.0, 0.0
        else:
            W[0, 0], b[0] = 1.0, -0.5
    WL, bL = params[-1]
    WL[1], WL[1, 0], bL[1] = 0.0, 2.0**-560, 0.0
    Y = 12.0 * n_L * m * 2.0 ** (top - 4 - int(np.ceil(np.log2(12 * n_L * m))))   # delta^L_0 = -+3 2^E': exact
    y = np.array(y, np.float64)
    y[...] = rng.random(y.shape)
    y[:, 0], y[:, 1] = 0.5, 0.125
    y[0, 0], y[1, 0] = Y, -Y
    chain = 0.25 ** (L - 1)
    delta = np.array([(0.5 - Y) / (n_L * m) * 0.25, (0.5 + Y) / (n_L * m) * 0.25,
                      2.0**-560 * ((0.5 - 0.125) / (n_L * m) * 0.25)]) * chain
    e = np.frexp(delta)[1]
    x = np.broadcast_to(rng.uniform(-1.0, 1.0, size=x.shape[-1]), x.shape).copy()
    x[0, 0], x[1, 0], x[2:, 0] = np.ldexp(0.75, -e[0]), np.ldexp(0.75, -e[1]), np.ldexp(0.75, -e[2])
    x[:, 1] = 2.0 ** (1026 - e[0])
    return [(W.astype(dtype), b.astype(dtype)) for W, b in params], x.astype(dtype), y.astype(dtype)


def _wide_batch(rng: np.random.Generator, params, x, y, dtype: np.dtype):
    """A depth-1 batch of m > 2^16 examples (``WIDE_BATCH``; ``extremes`` caps widths and batches at 16 for every
    other case), whose grad W^1 = (delta^1)^T x sums over m: the width ``careful._rows_scaled`` leaves headroom
    for (t from ceil(log2 m)) and ``careful._elements_scaled`` splits into steps of 2^16 // m elements. W^1 = 0
    and b^1 = 0 (z = 0, a = 1/2, sigma' = 1/4 exactly, in every example), so delta^1 = (1/2 - y) / (4 n_L m).

    Output 0 has the same unit y in every example and input 0 the same value X0 (mantissa 3/4 or more): row 0 of
    delta^T and row 0 of x^T are m equal entries, so their scaled sum is m f f' 2^(2t) (f, f' >= 1/2 and 3/4 the
    rows' mantissas). With t from ceil(log2 m), that stays under 2^(emax - 2); with a t that leaves headroom for
    fewer terms (ceil(log10 m) or ceil(ln m), the mutation benchmark's mutants) it overflows, and a gradient in
    range comes out inf and is refused. Output 1 has y = -+Y in examples 0 and 1 (Y a quarter to a half of
    sqrt(max), so the cost stays in range) and 1/2 (delta = 0 exactly) elsewhere; input 2 is H in examples 0 and 1
    (0 elsewhere), with |delta^1_1| H in [2^maxexp, 2^(maxexp + 3)): the plain grad W^1_12 is inf - inf = NaN
    (the exact one is H / (4 n_L m)), so grad takes the careful path (in float64 for a float32 net). Input 1 is 0
    in examples 0 and 1 and 1 elsewhere, so grad W^1_11 pairs a row of delta^T that is nonzero only in examples
    0 and 1 with one that is zero there: its scaled sum of |products| is 0 and it is recomputed element by
    element, with m > 2^16 products (a step of 2^16 // m = 0 elements raises). Every gradient is in range by far
    more than its tolerance; other inputs are 1 and other outputs have y = 1/2."""
    fi = np.finfo(dtype)
    top = fi.maxexp - 1
    W1, b1 = params[0]
    m, n_L = y.shape
    W1, b1 = np.zeros(W1.shape), np.zeros(b1.shape)
    x = np.ones(x.shape)
    x[:, 0] = rng.choice([-1.0, 1.0]) * np.ldexp(rng.uniform(0.75, 1.0), int(rng.integers(-4, 5)))
    x[:2, 1], x[2:, 1] = 0.0, 1.0
    Y = np.ldexp(rng.uniform(1.0, 1.9), top // 2 - 1)
    D = (Y + 0.5) / (4 * n_L * m)                              # about |delta^1_1| in examples 0 and 1
    x[:, 2] = 0.0
    x[:2, 2] = np.ldexp(rng.uniform(1.0, 1.9), top + int(rng.integers(2, 4)) - int(np.frexp(D)[1]))
    y = np.full(y.shape, 0.5)
    y[:, 0] = rng.uniform(0.0, 1.0)
    s = rng.choice([-1.0, 1.0])
    y[0, 1], y[1, 1] = s * Y, -s * Y
    return [(W1.astype(dtype), b1.astype(dtype))], x.astype(dtype), y.astype(dtype)

