"""The backend's public pieces besides grad and cost, checked on every case of the built-in suite: ``forward``
and ``sigmoid``. ``grad`` and ``cost`` use their own internal forward pass, so without these checks a change
to the public ``forward`` or ``sigmoid`` would be seen by no comparison (the mutation benchmark showed it).

- ``forward(params, x)`` must have shape (n_L,) for one example and (m, n_L) for a batch, the network's dtype,
  and give the reference's cost: C computed in long double from its a^L and y lies within the cost's
  tolerance (a^L within the bound's error of the exact one moves C by less than the bound on C, which already
  carries that error);
- ``sigmoid(z)`` on every input x and weight of the case (the extreme cases put them from subnormal to near the
  dtype's largest value) must keep the dtype and lie within tolerance(bound.sigma_error(sigma)) of sigma
  computed in long double (``bound``'s error model for a = sigma(z) at an exact z).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..cases.cases import Case
from ..reference.bound import UNIT_ROUNDOFF, sigma_error, tolerance
from ..sandbox import isolation
from .results import FORWARD, SIGMOID, Failure

LONG = np.longdouble


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
