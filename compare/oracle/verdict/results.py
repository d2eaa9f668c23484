"""What a check finds: ``Failure`` (one case, with typed fields) and ``Report`` (a run).

Decisions (diagnosis, shrinking, the command line's exit status) read the fields; ``message`` is the sentence a
person reads, written once where the failure is found.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case

# Failure kinds, in the order the checks run.
RAISED, NOT_A_GRADIENT, LAYERS, SHAPE, DTYPE, MUTATION, NONFINITE, VALUE, COST = (
    "raised", "not a gradient", "layers", "shape", "dtype", "mutation", "nonfinite", "value", "cost")
KINDS = (RAISED, NOT_A_GRADIENT, LAYERS, SHAPE, DTYPE, MUTATION, NONFINITE, VALUE, COST)
RANGE = "range"   # "beyond range" refused where the reference is in range, or the reverse (extreme cases)
FORWARD, SIGMOID, ACCURACY = "forward", "sigmoid", "accuracy"   # the built-in suite's checks of a backend's pieces
PARTS = (FORWARD, SIGMOID, ACCURACY)                               # (parts): public functions besides grad and cost
KINDS += (RANGE, *PARTS)


class LayerValues(NamedTuple):
    """One layer of a case with values to compare: candidate, reference and tolerance of grad W and grad b."""

    cand_W: np.ndarray
    ref_W: np.ndarray
    tol_W: np.ndarray
    cand_b: np.ndarray
    ref_b: np.ndarray
    tol_b: np.ndarray


@dataclasses.dataclass(frozen=True)
class Failure:
    """Why one case failed. ``layer`` is numbered 1..L as in the seed; ``index`` is (j, k) for W, (j,) for b.

    ``kind`` is one of ``KINDS``. For ``raised``, ``cause`` says how the call failed (``isolation.Problem``'s
    cause: ``raised``, ``timeout``, ``skipped``, ``exit``, ``state``; in a worker process also ``died`` and
    ``garbage``). For ``shape`` and ``dtype`` the
    expected and actual values are fields. ``arrays`` has one ``LayerValues`` per layer for value failures.
    """

    case: Case
    kind: str
    message: str
    cause: str | None = None
    layer: int | None = None
    array: str | None = None
    index: tuple[int, ...] | None = None
    expected_shape: tuple[int, ...] | None = None
    actual_shape: tuple[int, ...] | None = None
    expected_dtype: str | None = None
    actual_dtype: str | None = None
    candidate: float | None = None
    reference: float | None = None
    tolerance: float | None = None
    ratio: float | None = None
    bad_elements: int = 0
    total_elements: int = 0
    bad_layers: tuple[int, ...] = ()
    overflow: bool = False         # raised an OverflowError (isolation.Problem.overflow)
    where: str = ""                # raised: the exception's type and the candidate's line (isolation.Problem.where)
    fix: tuple[str, ...] = ()      # the Layout fields whose change reads the candidate's output (layouts.suggest)
    others: tuple[Failure, ...] = ()   # a shape failure's: the other arrays of the same result whose shape is wrong
    arrays: tuple[LayerValues, ...] = dataclasses.field(default=(), repr=False, compare=False)
    beside: Failure | None = dataclasses.field(default=None, repr=False, compare=False)   # a shape failure's: the
    #   arrays of the right shape compared, each wrong one left out (an infinite tolerance), where they disagree

    @property
    def lost(self) -> bool:
        """The call hung, its process died or sent garbage, or it was not made because earlier calls were lost:
        shrinking it would mean waiting out time limits or restarting the worker for every try."""
        return self.kind == RAISED and self.cause in ("timeout", "skipped", "died", "garbage")


KEEP_BYTES = 256 * 2 ** 20    # the failing cases' arrays a run keeps for its diagnosis, at most (784-300-10: 500
                              # failing cases' candidate, reference and tolerance arrays would be 3 GB)


class Keeper:
    """Keeps the arrays of failing cases, for the diagnosis, until ``KEEP_BYTES`` of them are kept; a later
    failure keeps its verdict, message and element, and drops its arrays (``keep``)."""

    def __init__(self, limit: int = KEEP_BYTES):
        self.limit, self.kept = limit, 0

    def keep(self, f: Failure | None, extra: int = 0) -> bool:
        """Whether ``f``'s arrays (and ``extra`` bytes that go with them) are kept; counts them when they are."""
        held = [] if f is None else [*f.arrays, *(f.beside.arrays if f.beside is not None else ())]
        if not held:
            return True
        n = extra + sum(np.asarray(a).nbytes for v in held for a in v)
        if self.kept + n > self.limit:
            return False
        self.kept += n
        return True


def raised(case: Case, problem) -> Failure:
    """The RAISED Failure of a call that gave no result (``isolation.Problem``): its words, cause and overflow."""
    return Failure(case, RAISED, problem.message[:300], cause=problem.cause, overflow=problem.overflow,
                   where=problem.where)


@dataclasses.dataclass
class Report:
    """What a run found. ``ok`` is True when every case agreed. ``first`` is the first failing case of the most
    frequent kind (the one shrunk and diagnosed)."""

    name: str
    cases: int = 0
    failed: int = 0
    worst_ratio: dict[str, float] = dataclasses.field(default_factory=dict)   # per dtype, over every element
    worst_case: dict[str, Case] = dataclasses.field(default_factory=dict)
    first: Failure | None = None
    shrunk: Failure | None = None
    diagnosis: list[str] = dataclasses.field(default_factory=list)
    mistakes: tuple[str, ...] = ()        # catalogue keys the diagnosis names as certain (mistakes.py)
    failures_by_kind: dict[str, tuple[int, Failure]] = dataclasses.field(default_factory=dict)  # most frequent first
    failing_features: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)  # feature -> (failed, cases)
    seconds: float = 0.0
    interrupted: bool = False
    reproduce: str | None = None
    constant: object | None = None   # constants.Constant: every case agrees once divided by it
    layout_fix: object | None = None  # layouts.Fix: another layout under which the failing cases tried agree
    wider: dict[str, int] = dataclasses.field(default_factory=dict)   # "float32 -> float64": cases, accepted
    normwise: object | None = None    # diagnose.Normwise: the measured level of the normwise pattern, when named

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.interrupted and self.cases > 0


class Result(NamedTuple):
    """One checked case: its worst |candidate - reference| / tolerance (0 when it failed), the failure, and the
    wider float dtype the candidate returned (accepted, values checked), or None."""

    case: Case
    worst: float
    failure: Failure | None
    wider: str | None = None
