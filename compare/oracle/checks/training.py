"""``check_train``: a backend's ``train(params, X, Y, *, eta, epochs, batch_size, seed, callback)`` checked as the
seed's gradient descent, by the step and epoch checks (``stepcheck``, ``epoch``) and one refusal.

``manual.train`` and ``autodiff.train`` share a contract (their docstrings): one epoch of batch gradient descent
(``batch_size=None``) is one step W - eta * grad W on every example; with ``batch_size=k < m`` an epoch visits the
rows in the order ``np.random.default_rng(seed).permutation(m)`` in mini-batches of k and a last one of the m mod
k left over; ``callback(epoch, params)`` sees each epoch's parameters. So ``train`` is checked as:

- **a step** (``as_step``): one epoch of batch gradient descent on a drawn case's examples (one example made a
  batch of one), against W - eta * mean grad W from jax.grad;
- **an epoch** (``as_epoch``): SGD and mini-batches, the rows handed to ``train`` arranged so that its documented
  shuffle visits them in the order the epoch check asks for (the shuffle's effect held fixed by the seed: a
  ``train`` that orders its examples otherwise fails), and its callback required to have seen epoch 1 with the
  parameters it returned;
- **a refusal** (``refusal_failure``): a step whose exact result is beyond the dtype's range must raise
  ValueError, never return infinities.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..cases.cases import Case
from ..sandbox import isolation
from ..verdict.results import RAISED, VALUE, Failure
from .epoch import EpochCase, check_epoch
from .stepcheck import StepReport, StepResult, check_step

SHUFFLE_SEED = 20261205          # train's seed in the epoch check: any fixed value holds the shuffle still


class CallbackMismatch(AssertionError):
    """``train``'s callback did not see epoch 1 with the parameters ``train`` returned."""


def as_step(train: Callable) -> Callable:
    """``train`` as a step ``step(params, x, y, eta)``: one epoch of batch gradient descent on the examples."""
    def step(params, x, y, eta):
        X, Y = (x[None], y[None]) if x.ndim == 1 else (x, y)
        return train(params, X, Y, eta=eta, epochs=1, batch_size=None)
    return step


def as_epoch(train: Callable, seed: int = SHUFFLE_SEED) -> Callable:
    """``train`` as an epoch ``epoch(params, X, Y, eta, k)`` over the rows in the order given: row i of X is put
    where ``default_rng(seed).permutation(m)`` makes ``train`` visit it i-th."""
    def epoch(params, X, Y, eta, k):
        m = X.shape[0]
        Xs, Ys = X, Y
        if k < m:                                     # one step on all m rows draws no permutation (contract)
            order = np.random.default_rng(seed).permutation(m)
            Xs, Ys = np.empty_like(X), np.empty_like(Y)
            Xs[order], Ys[order] = X, Y
        seen = []
        out = train(params, Xs, Ys, eta=eta, epochs=1, batch_size=k, seed=seed,
                    callback=lambda e, p: seen.append((e, p)))
        if [e for e, _ in seen] != [1] or not _same(seen[0][1], out):
            raise CallbackMismatch(f"callback saw epochs {[e for e, _ in seen]}"
                                   + ("" if [e for e, _ in seen] != [1] else " with parameters other than those "
                                      "train returned") + "; expected epoch 1 with the returned parameters")
        return out
    return epoch


def _same(a, b) -> bool:
    """Two parameter lists equal to the bit (NaN equal to NaN)."""
    return len(a) == len(b) and all(np.array_equal(p, q, equal_nan=True) and np.asarray(p).dtype == np.asarray(q).dtype
                                    for pa, pb in zip(a, b) for p, q in zip(pa, pb))


def refusal_failure(train: Callable, dtype: str) -> Failure | None:
    """``train`` on a 1-1 net with W = 0, b = 0, x = 1, y = -100 and eta half the dtype's largest value: grad W =
    grad b = (1/2 + 100) / 4, so W - eta grad W is beyond range and ``train`` must raise ValueError (returning, or
    raising anything else, is a failure; None when it refused)."""
    t = np.dtype(dtype).type
    params = [(np.zeros((1, 1), dtype), np.zeros(1, dtype))]
    X, Y = np.ones((1, 1), dtype), np.full((1, 1), -100, dtype)
    eta = float(np.finfo(dtype).max) / 2
    out, problem = isolation.call_guarded(lambda: train(params, X, Y, eta=eta, epochs=1, batch_size=None), (),
                                          time_limit=isolation.CALL_TIME_LIMIT)
    case = Case((1, 1), 1, 0.0, dtype, 0)
    where = (f"on W = [[0]], b = [0], x = [1], y = [-100] with eta = {t(eta)!r} (W - eta grad W is beyond "
             f"{dtype}'s range)")
    if problem is not None and problem.refused:
        return None
    if problem is not None:
        return Failure(case, RAISED, f"train {where} {problem.message}; expected a ValueError"[:300],
                       cause=problem.cause)
    return Failure(case, VALUE, f"train {where} returned instead of raising ValueError")


def check_train(train: Callable, cases: list[Case], epochs: list[EpochCase], *, name: str,
                etas: list[float] | None = None,
                reproduce: Callable[[str, Case, float, int | None], str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> list[StepReport]:
    """The reports of ``train`` as a step on ``cases`` (learning rates ``etas``, default drawn; the refusal in each
    of their dtypes) and as an epoch on ``epochs``; either is left out when it has nothing to check.
    ``reproduce(option, case, eta, k)`` gives a failing case's reproduce line (option "step" or "epoch");
    ``progress(done, total)`` counts steps, then epochs."""
    total = len(cases) + len(epochs)
    reports = []
    if cases:
        step = check_step(as_step(train), cases, etas, name=f"{name} (batch step)",
                          progress=progress and (lambda d, _: progress(d, total)),
                          reproduce=reproduce and (lambda c, eta: reproduce("step", c, eta, None)))
        for dtype in sorted({c.dtype for c in cases}):
            failure = refusal_failure(train, dtype)
            if failure is not None:
                _add_failure(step, StepResult(failure.case, 0.0, failure, 0.0, 0, 0, None))
        reports.append(step)
    if epochs and not any(r.interrupted for r in reports):
        reports.append(check_epoch(as_epoch(train), epochs, name=f"{name} (SGD and mini-batch epochs)",
                                   progress=progress and (lambda d, _: progress(len(cases) + d, total)),
                                   reproduce=reproduce and (lambda e: reproduce("epoch", e.case, e.eta,
                                                                                e.batch_size))))
    return reports


def _add_failure(report: StepReport, r: StepResult) -> None:
    """A failing case that is not a step (the refusal) counted into a step report."""
    report.cases += 1
    report.failed += 1
    report.first = report.first or r
    report.smallest = report.smallest or r
    if not report.diagnosis:
        report.diagnosis = [r.failure.message]
