"""What the oracle checks a backprop on: a *case* is an architecture, a batch size, a weight scale, a dtype
and a seed, from which the parameters and data follow deterministically.

The distribution is built to reach the bugs that hide: depth 1-6; widths 1-64 with width 1 and square
layers (n_l == n_{l-1}) drawn often; a single 1-D example about a third of the time, otherwise a batch of
1-16; weights W ~ scale * N(0, 1) with scale log-uniform in [0.25, 4], so narrow gentle nets and wide
saturated ones both occur; inputs N(0, 1); targets uniform in [0, 1]; float64 and float32.

``draw_case`` (NumPy) feeds the bulk runs; ``compare.strategies.cases`` draws the same kind of case with
Hypothesis, for users' own property tests. The limits live in ``limits``.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
from collections.abc import Iterator
from contextvars import ContextVar

import numpy as np

from . import extremes
from .extremes import MAX_BATCH as EXTREME_BATCH
from .extremes import MAX_DEPTH as EXTREME_DEPTH
from .extremes import MAX_WIDTH as EXTREME_WIDTH
from .limits import (
    DTYPES,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_SCALE,
    MAX_WIDTH,
    MIN_SCALE,
    SATURATED_SCALES,
    SATURATED_SHARE,
)

_one_as_batch: ContextVar[bool] = ContextVar("one_as_batch", default=False)


@contextlib.contextmanager
def one_example_as_batch(on: bool = True) -> Iterator[None]:
    """Inside this block (where ``on``) a case of one example is described as what a --batches-only candidate got,
    a batch of one, not as x (n_0,)."""
    token = _one_as_batch.set(on)
    try:
        yield
    finally:
        _one_as_batch.reset(token)


@dataclasses.dataclass(frozen=True)
class Case:
    """``sizes`` = (n_0, ..., n_L); ``batch`` = m, or 0 for a single 1-D example; weights ~ scale * N(0, 1)."""

    sizes: tuple[int, ...]
    batch: int
    scale: float
    dtype: str
    seed: int
    extreme: bool = False      # drawn from ``extremes`` (values at the ends of the dtype's range); scale unused
    bare: tuple[int, ...] = ()  # the layers (0-based) without a bias: their b is 0 (every layer: a network
    #                             without biases, ``--biases none``); the draw of everything else is the same

    @property
    def depth(self) -> int:
        return len(self.sizes) - 1

    def spec(self) -> str:
        """The one-line form ``--case`` reads back, e.g. ``sizes=3-1-2 batch=4 scale=1.5 dtype=float64 seed=7``."""
        return (f"sizes={'-'.join(map(str, self.sizes))} batch={self.batch} scale={self.scale!r} "
                f"dtype={self.dtype} seed={self.seed}" + (" extreme=1" if self.extreme else ""))

    def describe(self) -> str:
        one = "one example, sent as a batch of one" if _one_as_batch.get() else "one example x (n_0,)"
        data = one if self.batch == 0 else f"a batch of {self.batch}"
        net = f"{'-'.join(map(str, self.sizes))} net{self._bias_words()}"
        if self.extreme:
            return f"{net}, {data}, extreme values, {self.dtype}"
        return f"{net}, {data}, weight scale {self.scale:.3g}, {self.dtype}"


    def _bias_words(self) -> str:
        if not self.bare:
            return ""
        if len(self.bare) == self.depth:
            return " without biases"
        return f" without a bias in layer{'s' * (len(self.bare) > 1)} {', '.join(str(l + 1) for l in self.bare)}"


def parse_case(spec: str) -> Case:
    """Read a ``Case.spec()`` string; ValueError in plain words when it is malformed or out of range."""
    if not isinstance(spec, str):
        raise TypeError(f"a case spec must be a string like 'sizes=3-1-2 batch=4 scale=1.5 dtype=float64 seed=7', "
                        f"got {type(spec).__name__}")
    fields = dict(part.split("=", 1) for part in spec.split() if "=" in part)
    listed = "extreme" in fields
    extreme = fields.pop("extreme", "0")
    if (set(fields) != {"sizes", "batch", "scale", "dtype", "seed"} or len(fields) + listed != len(spec.split())
            or extreme not in ("0", "1")):
        raise ValueError(f"--case must look like 'sizes=3-1-2 batch=4 scale=1.5 dtype=float64 seed=7', got {spec!r}")
    try:
        case = Case(tuple(int(s) for s in fields["sizes"].split("-")), int(fields["batch"]),
                    float(fields["scale"]), fields["dtype"], int(fields["seed"]), extreme == "1")
    except ValueError:
        raise ValueError(f"--case has a malformed number: {spec!r}") from None
    if (len(case.sizes) < 2 or min(case.sizes) < 1 or case.batch < 0 or not 0 < case.scale < 1e3
            or case.dtype not in DTYPES or case.seed < 0):
        raise ValueError(f"--case is out of range (depth >= 1, widths >= 1, batch >= 0, scale in (0, 1000), "
                         f"dtype float64/float32, seed >= 0): {spec!r}")
    if case_elements(case) > MAX_ELEMENTS:
        raise ValueError(f"--case has {case_elements(case):,} numbers in its arrays, more than one case may have "
                         f"({MAX_ELEMENTS:,}): {spec!r}")
    return case


def case_elements(case: Case) -> int:
    """How many numbers a case's parameters, inputs and targets hold."""
    m = max(case.batch, 1)
    return sum(a * b + b for a, b in zip(case.sizes, case.sizes[1:])) + m * (case.sizes[0] + case.sizes[-1])


def _width(rng: np.random.Generator, previous: int) -> int:
    r = rng.random()
    if r < 0.15:
        return 1
    if r < 0.35:
        return previous                       # square layer
    if r < 0.70:
        return int(rng.integers(1, 9))        # narrow
    return int(rng.integers(1, MAX_WIDTH + 1))  # anything up to the widest


def draw_case(rng: np.random.Generator, dtype: str) -> Case:
    """One random case from the distribution above."""
    depth = int(rng.integers(1, MAX_DEPTH + 1))
    sizes = [_width(rng, int(rng.integers(1, 9)))]
    for _ in range(depth):
        sizes.append(_width(rng, sizes[-1]))
    batch = 0 if rng.random() < 0.3 else int(rng.integers(1, MAX_BATCH + 1))
    scale = float(np.exp(rng.uniform(np.log(MIN_SCALE), np.log(MAX_SCALE))))
    return Case(tuple(sizes), batch, scale, dtype, int(rng.integers(2**62)))


def draw_cases(n: int, seed: int, dtypes=DTYPES) -> list[Case]:
    """``n`` cases from ``seed``, alternating dtypes; the same seed always gives the same cases."""
    rng = np.random.default_rng(seed)
    return [draw_case(rng, dtypes[i % len(dtypes)]) for i in range(n)]


def draw_saturated_cases(n: int, seed: int, dtypes=DTYPES) -> list[Case]:
    """``n`` ordinary cases whose weight scale (``limits.SATURATED_SCALES``) puts some z^l beyond -log(max) of the
    dtype, where sigma written as 1/(1 + exp(-z)) overflows; alternating dtypes, reproducible by their spec."""
    rng = np.random.default_rng([seed, 2])
    out = []
    for i in range(n):
        case = draw_case(rng, dtypes[i % len(dtypes)])
        out.append(dataclasses.replace(case, scale=_saturating_scale(rng, case.dtype)))
    return out


def _saturating_scale(rng: np.random.Generator, dtype: str) -> float:
    """A weight scale log-uniform in the dtype's ``limits.SATURATED_SCALES``."""
    low, high = SATURATED_SCALES[dtype]
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def saturated(cases: list[Case], seed: int) -> list[Case]:
    """``cases`` with their weight scale drawn from their dtype's ``limits.SATURATED_SCALES`` (a stream of its own,
    ``[seed, 2]``): some z^l beyond -log(max), where sigma written as 1/(1 + exp(-z)) overflows."""
    rng = np.random.default_rng([seed, 2])
    return [dataclasses.replace(c, scale=_saturating_scale(rng, c.dtype)) for c in cases]


def draw_default(n: int, seed: int, dtypes=DTYPES) -> list[Case]:
    """The default run's ordinary cases: ``draw_cases`` (the first n - n // SATURATED_SHARE of them) and then
    ``draw_saturated_cases`` for the rest."""
    k = n // SATURATED_SHARE
    return draw_cases(n - k, seed, dtypes) + draw_saturated_cases(k, seed, dtypes)


def draw_extreme_cases(n: int, seed: int, dtypes=DTYPES) -> list[Case]:
    """``n`` extreme cases from ``seed`` (architectures up to ``extremes``' smaller limits), alternating dtypes;
    from ``WIDE_FROM`` cases on, one more per dtype after them, drawn from a stream of their own (so the n are as
    they were): a depth-1 net (``extremes.WIDE_SIZES``) with a batch beyond ``extremes.WIDE_BATCH``, whose
    gradient sums more examples than ``careful._rows_scaled``'s headroom and ``_elements_scaled``'s block assume
    for fewer (``extremes._wide_batch``)."""
    rng = np.random.default_rng([seed, 1])
    out = []
    for i in range(n):
        depth = int(rng.integers(1, EXTREME_DEPTH + 1))
        sizes = tuple(int(rng.integers(1, EXTREME_WIDTH + 1)) if rng.random() < 0.7 else 1 for _ in range(depth + 1))
        batch = 0 if rng.random() < 0.3 else int(rng.integers(1, EXTREME_BATCH + 1))
        out.append(Case(sizes, batch, 1.0, dtypes[i % len(dtypes)], int(rng.integers(2**62)), True))
    if n >= WIDE_FROM:
        wide = np.random.default_rng([seed, 4])
        out += [Case(extremes.WIDE_SIZES, extremes.WIDE_BATCH + int(wide.integers(64)), 1.0, dtype,
                     int(wide.integers(2**62)), True) for dtype in dtypes]
    return out


WIDE_FROM = 100   # extreme cases asked for from which ``draw_extreme_cases`` adds its wide ones (the default run: 200)


class Kept:
    """Values kept by key with the arrays they hold, at most ``limit`` bytes of those arrays, the least recently
    used dropped first; a kept value's arrays are made read-only (shared from then on, no reader may change
    them). A value larger than ``limit`` is not kept, and nothing else is dropped for it."""

    def __init__(self, limit: int):
        self.limit = limit
        self._entries: collections.OrderedDict = collections.OrderedDict()    # key -> (value, bytes)

    def get(self, key):
        """The value kept for ``key`` (now the most recently used), or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key, value, arrays: list[np.ndarray]) -> None:
        size = sum(a.nbytes for a in arrays)
        if size > self.limit:
            return
        self._entries.pop(key, None)
        held = sum(n for _, n in self._entries.values())
        while self._entries and held + size > self.limit:
            held -= self._entries.popitem(last=False)[1][1]
        for a in arrays:
            a.flags.writeable = False
        self._entries[key] = (value, size)

    def __contains__(self, key) -> bool:
        return key in self._entries

    def clear(self) -> None:
        self._entries.clear()


KEEP_FROM = 1 << 16        # numbers in a case from which ``shared`` keeps its arrays
KEEP_BYTES = 512 << 20     # bytes of kept arrays at most (a run of 50 cases of 784-100-10 x 1000 in both dtypes
                           # holds 262 MiB)
_kept = Kept(KEEP_BYTES)   # Case -> (params, x, y), read-only


def materialise(case: Case) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """The parameters and data of ``case``: ``(params, x, y)`` in the case's dtype, fresh arrays each call."""
    if case_elements(case) < KEEP_FROM:
        return _draw(case)
    params, x, y = shared(case)
    return [(W.copy(), b.copy()) for W, b in params], x.copy(), y.copy()


def shared(case: Case) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """``materialise`` for a reader that changes nothing: a large case (``KEEP_FROM`` numbers or more) is drawn
    once and its arrays, read-only, are kept (``KEEP_BYTES`` in all) and returned again. A failing case is checked
    again by the constant fit and the diagnosis, and drawing its million normal numbers costs several times what
    copying them does (``materialise`` copies them) and many times what sharing them does."""
    if case_elements(case) < KEEP_FROM:
        return _draw(case)
    made = _kept.get(case)
    if made is None:
        made = _draw(case)
        arrays = [a for pair in made[0] for a in pair] + [made[1], made[2]]
        for a in arrays:
            a.flags.writeable = False               # read-only whether or not it fits to be kept
        _kept.put(case, made, arrays)
    return made


def _draw(case: Case) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """``materialise`` without keeping: the case's arrays drawn from its seed."""
    params, x, y = _drawn(case)
    if case.bare:
        params = [(W, np.zeros_like(b)) if l in case.bare else (W, b) for l, (W, b) in enumerate(params)]
    return params, x, y


def _drawn(case: Case) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """The case's arrays as its seed draws them, biases included."""
    if case.extreme:
        return extremes.materialise(case.sizes, case.batch, case.dtype, case.seed)
    rng = np.random.default_rng(case.seed)
    dtype = np.dtype(case.dtype)
    # copy=False: every array here is new, and a float64 one needs no second copy
    params = [((case.scale * rng.standard_normal((n, n_prev))).astype(dtype, copy=False),
               rng.standard_normal(n).astype(dtype, copy=False))
              for n_prev, n in zip(case.sizes[:-1], case.sizes[1:])]
    lead = (case.batch,) if case.batch else ()
    x = rng.standard_normal(lead + (case.sizes[0],)).astype(dtype, copy=False)
    y = rng.random(lead + (case.sizes[-1],)).astype(dtype, copy=False)
    return params, x, y


def draw_sized_default(n: int, seed: int, dtypes=DTYPES, **fixed) -> list[Case]:
    """``draw_sized`` (``fixed``: its sizes, depth, batch) with its last n // SATURATED_SHARE cases ``saturated``,
    as ``draw_default`` has them: a fixed architecture is checked where sigma's naive form overflows too."""
    cases = draw_sized(n, seed, dtypes, **fixed)
    k = n // SATURATED_SHARE
    return cases[:n - k] + saturated(cases[n - k:], seed)


def draw_sized(n: int, seed: int, dtypes=DTYPES, *, sizes: tuple[int | None, ...] | None = None,
               depth: int | None = None, batch: int | None = None, min_depth: int | None = None) -> list[Case]:
    """``draw_cases`` with some fields fixed: the layer sizes (any widths; None for a width drawn per case, the
    depth then fixed), or only the depth, or a least depth (a drawn case shallower is redrawn at it), and the
    batch (0: one example). Fixed sizes have no upper limit; the reference handles them unpadded."""
    rng = np.random.default_rng(seed)
    out = []
    if sizes is not None and None in sizes:
        depth, sizes, some = len(sizes) - 1, None, sizes
    else:
        some = None
    for i in range(n):
        case = draw_case(rng, dtypes[i % len(dtypes)])
        want = depth if depth is not None else max(case.depth, min_depth or 0)
        if sizes is None and want != case.depth:
            widths = [_width(rng, int(rng.integers(1, 9)))]
            for _ in range(want):
                widths.append(_width(rng, widths[-1]))
            case = dataclasses.replace(case, sizes=tuple(widths))
        if sizes is not None:
            case = dataclasses.replace(case, sizes=tuple(sizes))
        if some is not None:
            case = dataclasses.replace(case, sizes=tuple(w if f is None else f for w, f in zip(case.sizes, some)))
        if batch is not None:
            case = dataclasses.replace(case, batch=batch)
        out.append(case)
    return out
