"""``check_train``: a backend's ``train(params, X, Y, *, eta, epochs, batch_size, seed, callback)`` checked as the
seed's gradient descent, by the step and epoch checks (``stepcheck``, ``epoch``) and a few probes.

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
- **probes** (``probe_failures``): a step beyond the dtype's range and a negative eta must raise ValueError; a
  step in range whose plain product overflows must be taken; integer data trains as the same values in the
  network's dtype; ``seed`` defaults to 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..cases.cases import Case
from ..verdict.results import RAISED, VALUE, Failure
from .epoch import EpochCase, check_epoch
from .inputs import guarded, same_bits
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
        epochs = [e for e, _ in seen]
        if epochs != [1] or not same_bits(seen[0][1], out):
            other = "" if epochs != [1] else " with parameters other than those train returned"
            raise CallbackMismatch(f"callback saw epochs {epochs}{other}; expected epoch 1 with the returned "
                                   "parameters")
        return out
    return epoch


def _probe_case(dtype: str) -> Case:
    """The Case a probe's failure is reported under (its arrays are written in the message)."""
    return Case((2, 1), 2, 0.0, dtype, 0)


def _refused(train: Callable, dtype: str, what: str, *args, **kwargs) -> Failure | None:
    """None when ``train(*args, **kwargs)`` raises ValueError; otherwise the failure, saying ``what`` it was given."""
    out, problem = guarded(train, *args, **kwargs)
    if problem is not None and problem.refused:
        return None
    got = f"{problem.message}" if problem is not None else "returned"
    return Failure(_probe_case(dtype), RAISED if problem is not None else VALUE,
                   f"train {what} {got}; expected a ValueError"[:300], cause=problem.cause if problem else None)


def _taken_at_saturation(train: Callable, dtype: str) -> Failure | None:
    """A 1-2-1 net, W^1 = [[1000], [0]] (a^1_1 = 1 exactly: sigma' = 0; a^1_2 = 1/2), W^2 = [[1e10, 0]],
    b^2 = [-1e10], x = [1], y = [-max/2]: the plain (W^2)^T delta^2 overflows and meets sigma' = 0 (inf * 0) in
    unit 1 only, but the gradient is in range: delta^2 = (1/2 + max/2) / 4 (z^2 = 0), grad W^2 = delta^2 a^1,
    grad b^2 = delta^2, grad W^1 = grad b^1 = 0 to within e^-1000. One step of batch gradient descent (eta 1e-298
    in float64, 1e-28 in float32: eta delta^2 ~ 5e9) must give those values within 16 u of each element's
    magnitudes, with no warning (raised, as the suite calls its own backends); so must SGD over the example three
    times (the later steps move nothing: z^2 ~ -1e10, sigma'(z^2) = 0), where a plain path that let the first
    step's NaN spread would have made every parameter NaN."""
    big = float(np.finfo(dtype).max)
    params = [(np.array([[1000], [0]], dtype), np.zeros(2, dtype)),
              (np.array([[1e10, 0]], dtype), np.full(1, -1e10, dtype))]
    X, Y = np.ones((1, 1), dtype), np.full((1, 1), -big / 2, dtype)
    eta = 1e-298 if dtype == "float64" else 1e-28
    step = eta * (0.5 + big / 2) / 4
    want = [np.array([[1000], [0]]), np.zeros(2), np.array([[1e10 - step, -step / 2]]), np.array([-1e10 - step])]
    u = float(np.finfo(dtype).eps) / 2
    for how in ({}, {"batch_size": 1}):           # SGD: the example three times; after the first step z^2 ~ -1e10
        data = (X, Y) if not how else (np.repeat(X, 3, axis=0), np.repeat(Y, 3, axis=0))   # moves nothing
        out, problem = guarded(train, params, *data, eta=eta, epochs=1, **how)
        got = None if problem is not None else [np.asarray(a, np.float64) for pair in out for a in pair]
        if got is None or not all(g.shape == w.shape and bool(np.all(np.abs(g - w) <= 16 * u * (np.abs(w) + step)))
                                  for g, w in zip(got, want)):
            break
    else:
        return None
    said = problem.message if problem is not None else f"returned W^2 = {got[2].tolist()}, b^2 = {got[3].tolist()}"
    return Failure(_probe_case(dtype), RAISED if problem is not None else VALUE,
                   f"train on W^1 = [[1000], [0]], W^2 = [[1e10, 0]], b^2 = [-1e10], x = [1], y = [-max/2], eta = "
                   f"{eta:g} (the plain product meets inf * 0 at a saturated unit; the step is in range) {said}; "
                   f"expected W^2 = {want[2].tolist()}, b^2 = {want[3].tolist()}, W^1 and b^1 unchanged"[:400],
                   cause=problem.cause if problem is not None else None)


def probe_failures(train: Callable, dtype: str) -> list[Failure]:
    """``train``'s contract where no reference step applies, on a 2-1 net (W = 0, b = 0), X = [[1, -1], [1, 1]],
    Y = [[-100], [-100]] of ``dtype``:

    - beyond range: SGD with eta half the largest float; the first step sends W past the range (grad = 25.1 x)
      and the second meets inf - inf; and one batch step, whose own result is beyond range: both must raise
      ValueError (no overflow or invalid warning, no infinities);
    - a negative eta must raise ValueError;
    - a plain product meeting inf * 0 at a saturated unit whose true step is in range (``_taken_at_saturation``):
      the step taken, no warning;
    - on X = [[1, -1], [1, 1], [-1, 1]], Y = [[0], [1], [0]], SGD for 3 epochs (orders that differ from seed to
      seed): integer X and Y train as the same values in ``dtype`` would (the result in ``dtype``, bit for bit), and
      ``seed`` defaults to 0 (the same result as ``seed=0``, bit for bit)."""
    params = [(np.zeros((1, 2), dtype), np.zeros(1, dtype))]
    X, Y = np.array([[1, -1], [1, 1]], dtype), np.full((2, 1), -100, dtype)
    big = float(np.finfo(dtype).max) / 2
    found = [
        _refused(train, dtype, f"with SGD at eta = {big:.3g} on W = [[0, 0]], b = [0], X = [[1, -1], [1, 1]], "
                 f"Y = [[-100], [-100]] (W - eta grad W beyond {dtype}'s range)", params, X, Y, eta=big, epochs=1,
                 batch_size=1),
        _refused(train, dtype, f"with one batch step at eta = {big:.3g} on the same data (W - eta grad W beyond "
                 f"{dtype}'s range, in the last step)", params, X, Y, eta=big, epochs=1),
        _refused(train, dtype, "with eta = -0.5", params, X, Y, eta=-0.5, epochs=1),
        _taken_at_saturation(train, dtype),
    ]
    X3, Y3 = np.array([[1, -1], [1, 1], [-1, 1]], dtype), np.array([[0], [1], [0]], dtype)
    same = [("integer X and Y", dict(X=X3.astype(np.int64), Y=Y3.astype(np.int64), seed=0), dict(X=X3, Y=Y3, seed=0)),
            ("no seed", dict(X=X3, Y=Y3), dict(X=X3, Y=Y3, seed=0))]
    for what, given, expected in same:
        (a, pa), (b, pb) = (guarded(train, params, eta=0.25, epochs=3, batch_size=1, **kw) for kw in (given, expected))
        if pa is not None or pb is not None or not same_bits(a, b):
            why = (pa or pb).message if pa is not None or pb is not None else "other parameters"
            found.append(Failure(_probe_case(dtype), VALUE, f"train with {what} (SGD, eta 0.25, 3 epochs on X = "
                                 f"[[1, -1], [1, 1], [-1, 1]], Y = [[0], [1], [0]]) gave {why}; expected exactly "
                                 f"the parameters of {dtype} data and seed=0"[:300]))
    return [f for f in found if f is not None]


def check_train(train: Callable, cases: list[Case], epochs: list[EpochCase], *, name: str,
                etas: list[float] | None = None,
                reproduce: Callable[[str, Case, float, int | None], str] | None = None,
                progress: Callable[[int, int], None] | None = None, diagnose: bool = True) -> list[StepReport]:
    """The reports of ``train`` as a step on ``cases`` (learning rates ``etas``, default drawn; the probes in each
    of their dtypes) and as an epoch on ``epochs``; either is left out when it has nothing to check.
    ``reproduce(option, case, eta, k)`` gives a failing case's reproduce line (option "step" or "epoch");
    ``progress(done, total)`` counts steps, then epochs; ``diagnose=False``: verdicts only, no search for the
    mistakes."""
    total = len(cases) + len(epochs)
    reports = []
    if cases:
        step = check_step(as_step(train), cases, etas, name=f"{name} (batch step)",
                          progress=progress and (lambda d, _: progress(d, total)),
                          reproduce=reproduce and (lambda c, eta: reproduce("step", c, eta, None)),
                          diagnose=diagnose)
        for dtype in sorted({c.dtype for c in cases}):
            for failure in probe_failures(train, dtype):
                _add_failure(step, StepResult(failure.case, 0.0, failure, 0.0, 0, 0, None))
        reports.append(step)
    if epochs and not any(r.interrupted for r in reports):
        reports.append(check_epoch(as_epoch(train), epochs, name=f"{name} (SGD and mini-batch epochs)",
                                   progress=progress and (lambda d, _: progress(len(cases) + d, total)),
                                   reproduce=reproduce and (lambda e: reproduce("epoch", e.case, e.eta,
                                                                                e.batch_size)),
                                   diagnose=diagnose))
    return reports


def _add_failure(report: StepReport, r: StepResult) -> None:
    """A failing probe counted into a step report as a failing case."""
    report.cases += 1
    report.failed += 1
    report.first = report.first or r
    report.smallest = report.smallest or r
    if not report.diagnosis:
        report.diagnosis = [r.failure.message]
