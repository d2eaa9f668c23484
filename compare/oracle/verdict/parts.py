"""The backend's public pieces besides grad and cost, checked on every case of the built-in suite: ``forward``
and ``sigmoid``. ``grad`` and ``cost`` use their own internal forward pass, so without these checks a change
to the public ``forward`` or ``sigmoid`` would be seen by no comparison (the mutation benchmark showed it).

- ``forward(params, x)`` must have shape (n_L,) for one example and (m, n_L) for a batch, the network's dtype,
  and give the reference's cost: C computed in long double from its a^L and y lies within the cost's
  tolerance (a^L within the bound's error of the exact one moves C by less than the bound on C, which already
  carries that error);
- ``sigmoid(z)`` on every input x and weight of the case (the extreme cases put them from subnormal to near the
  dtype's largest value) must keep the dtype and lie within tolerance(bound.sigma_error(sigma)) of sigma
  computed in long double (``bound``'s error model for a = sigma(z) at an exact z);
- ``accuracy(params, X, labels)`` on every batch case that is not extreme, with labels that make about half
  the examples right (``accuracy_labels``), must be k/m with k between the examples that are right whatever the
  rounding and those that may be: a^L computed in long double, an example whose two contending outputs lie
  within the tolerance of each other counting either way (``forward_bound``: the forward half of ``bound``'s
  running error analysis, with sigma' at most 1/4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case
from ..reference.bound import UNIT_ROUNDOFF, forward_error, sigma_error, tolerance
from ..sandbox import isolation
from .results import ACCURACY, FORWARD, SIGMOID, Failure

LONG = np.longdouble


class Pieces(NamedTuple):
    """A backend's public functions besides grad and cost, each checked on every case when given (called in this
    process: the project's own backends)."""

    forward: Callable | None = None
    sigmoid: Callable | None = None
    accuracy: Callable | None = None


def failure(pieces: Pieces, case: Case, params, x: np.ndarray, y: np.ndarray, cost: tuple[float, float],
            extreme: bool) -> Failure | None:
    """The first of ``pieces``' checks that fails on one case whose gradient and cost agreed, or None. ``cost`` is
    the reference's (value, tolerance); ``extreme`` when the exact cost or a^L may lie beyond the dtype's range
    (then forward's values and accuracy are not compared)."""
    comparable = bool(np.isfinite(cost[0]) and np.isfinite(cost[1])) and not extreme
    found = None
    if pieces.forward is not None:
        found = forward_failure(pieces.forward, case, params, x, y, cost, comparable)
    if found is None and pieces.sigmoid is not None:
        found = sigmoid_failure(pieces.sigmoid, case, params, x)
    if found is None and pieces.accuracy is not None and comparable and not case.extreme:
        found = accuracy_failure(pieces.accuracy, case, params, x, y)
    return found


def forward_failure(forward: Callable, case: Case, params, x: np.ndarray, y: np.ndarray, cost: tuple[float, float],
                    comparable: bool = True) -> Failure | None:
    """``forward`` on one case against the reference's ``cost`` (value, tolerance); ``comparable`` is False when
    the exact cost may lie beyond the dtype's range (an extreme case): then only the shape and dtype are read."""
    out, problem = isolation.call_guarded(forward, (params, x), time_limit=isolation.CALL_TIME_LIMIT)
    if problem is not None:
        return Failure(case, FORWARD, f"forward {problem.message}"[:300], cause=problem.cause)
    want = y.shape
    if not isinstance(out, np.ndarray) or out.shape != want:
        got = out.shape if isinstance(out, np.ndarray) else type(out).__name__
        return Failure(case, FORWARD, f"forward returned {got}, expected an array of shape {want} (a^L, like y)")
    if out.dtype != np.dtype(case.dtype):
        return Failure(case, FORWARD, f"forward returned {out.dtype} for a {case.dtype} network")
    if not comparable:
        return None
    a, Y = np.atleast_2d(out).astype(LONG), np.atleast_2d(y).astype(LONG)
    C = np.mean(np.sum((a - Y) ** 2, axis=1) / (2 * Y.shape[1]))      # long double: no overflow at 1e308
    ref, tol = cost
    if not abs(C - LONG(ref)) <= LONG(tol):
        return Failure(case, FORWARD, f"forward's a^L gives the cost {C:.17g}, the reference's is {ref:.17g} "
                                      f"(tolerance {tol:.3g}): forward disagrees with the network grad and cost use",
                       candidate=float(C), reference=ref, tolerance=tol)
    return None


def exact_sigmoid(z: np.ndarray) -> np.ndarray:
    """sigma(z) in long double, from the form that cannot overflow on either side."""
    z = np.asarray(z, LONG)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_failure(sigmoid: Callable, case: Case, params, x: np.ndarray) -> Failure | None:
    """``sigmoid`` on the case's inputs and weights against ``exact_sigmoid``."""
    z = np.concatenate([x.ravel()] + [W.ravel() for W, _ in params])
    out, problem = isolation.call_guarded(sigmoid, (z,), time_limit=isolation.CALL_TIME_LIMIT)
    if problem is not None:
        return Failure(case, SIGMOID, f"sigmoid {problem.message}"[:300], cause=problem.cause)
    if not isinstance(out, np.ndarray) or out.shape != z.shape or out.dtype != z.dtype:
        got = f"{out.dtype} {out.shape}" if isinstance(out, np.ndarray) else type(out).__name__
        return Failure(case, SIGMOID, f"sigmoid of a {z.dtype} array of shape {z.shape} returned {got}")
    exact = exact_sigmoid(z)
    u = UNIT_ROUNDOFF[case.dtype]
    tol = tolerance(sigma_error(exact, u))
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(out.astype(LONG) - exact) <= tol)
    if bad.any():
        i = int(np.argmax(bad))
        return Failure(case, SIGMOID, f"sigmoid({z[i]!r}) = {out[i]!r}, sigma is {float(exact[i])!r} (tolerance "
                                      f"{float(tol[i]):.3g}); {int(bad.sum())} of {z.size} values differ",
                       candidate=float(out[i]), reference=float(exact[i]), tolerance=float(tol[i]))
    return None


def forward_bound(params, X: np.ndarray, u: float) -> tuple[np.ndarray, np.ndarray]:
    """(a^L in long double (m, n_L), a bound on |computed a^L - exact a^L| of a computation with unit roundoff u,
    ``bound.forward_error``)."""
    acts = [np.asarray(X, LONG)]
    for W, b in params:
        acts.append(exact_sigmoid(acts[-1] @ W.astype(LONG).T + b.astype(LONG)))
    return acts[-1], forward_error(params, acts, u)


def accuracy_labels(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Labels (m,) for an accuracy check: the largest a^L's index on even rows (right), the largest y's on odd rows
    (right or wrong by chance), so that a count near 0 or m is not the only one seen."""
    rows = np.arange(a.shape[0])
    return np.where(rows % 2 == 0, np.argmax(a, axis=1), np.argmax(y, axis=1))


def accuracy_range(a: np.ndarray, tol: np.ndarray, labels: np.ndarray) -> tuple[int, int]:
    """(examples right whatever the rounding, examples that may be right): row i is surely right when a[i, label]
    minus its tolerance exceeds every other output plus its own, surely wrong when some other output minus its
    tolerance exceeds a[i, label] plus its tolerance (np.argmax picks the first of equal values, so a tie is
    neither)."""
    rows = np.arange(a.shape[0])
    mine, mine_tol = a[rows, labels], tol[rows, labels]
    others = a.copy()
    others[rows, labels] = -np.inf
    lo = others - tol
    hi = others + tol
    sure_right = mine - mine_tol > hi.max(axis=1)
    sure_wrong = lo.max(axis=1) > mine + mine_tol
    return int(sure_right.sum()), int(a.shape[0] - sure_wrong.sum())


def accuracy_failure(accuracy: Callable, case: Case, params, X: np.ndarray, y: np.ndarray) -> Failure | None:
    """``accuracy`` on one batch case (module docstring); None for one example (accuracy takes a data set)."""
    if X.ndim != 2:
        return None
    a, e_a = forward_bound(params, X, UNIT_ROUNDOFF[case.dtype])
    labels = accuracy_labels(a, y)
    low, high = accuracy_range(a, tolerance(e_a), labels)
    out, problem = isolation.call_guarded(accuracy, (params, X, labels), time_limit=isolation.CALL_TIME_LIMIT)
    if problem is not None:
        return Failure(case, ACCURACY, f"accuracy {problem.message}"[:300], cause=problem.cause)
    m = X.shape[0]
    if not isinstance(out, float) or not 0 <= out <= 1:
        return Failure(case, ACCURACY, f"accuracy returned {out!r}, expected a Python float in [0, 1]")
    k = round(out * m)
    if abs(out - k / m) > 2**-40 or not low <= k <= high:
        span = f"{low}/{m}" if low == high else f"{low}/{m} to {high}/{m}"
        return Failure(case, ACCURACY, f"accuracy returned {out!r} on {m} examples; the labels whose a^L (in long "
                                       f"double) is largest give {span}", candidate=out, reference=low / m)
    return None
