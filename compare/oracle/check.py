"""``check_grad``: a whole run, from cases to ``Report``.

Each case is checked in this order: the candidate returned without raising; the number of layers; each
array's exact shape (``(n, 1)`` is not ``(n,)``); the dtype; NaN or inf where the reference is finite; its
inputs unchanged bit for bit; then every element against ``jax.grad`` with the tolerance of ``bound``. The
failures are counted by kind, and the first of the most frequent kind is shrunk and diagnosed (``explain``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .cases import Case, draw_cases
from .explain import explain
from .features import feature_counts
from .results import Report, Result
from .run import GradFn, iter_cases


def check_grad(grad: GradFn, cases: list[Case] | None = None, *, examples: int = 2000, seed: int = 0,
               name: str = "candidate", cost: GradFn | None = None, shrink_failure: bool = True,
               progress: Callable[[int, int], None] | None = None,
               reproduce: Callable[[Case], str] | None = None) -> Report:
    """Check ``grad(params, x, y)`` against ``jax.grad`` on ``cases``; return a Report (see module doc).

    ``cases`` defaults to ``examples`` random cases drawn from ``seed`` (both dtypes). ``cost``, when given,
    is checked too. The candidate is called in this process (guarded by ``isolation``), so it must be code
    you trust not to end or tamper with the process. Keyboard interrupts stop the run early: the report then
    covers the cases checked so far.
    """
    if cases is None:
        cases = draw_cases(examples, seed)

    start = time.perf_counter()
    report = Report(name)
    results: list[Result] = []
    try:
        for chunk_results in iter_cases(grad, cases, cost):
            results += chunk_results
            if progress:
                progress(len(results), len(cases))
    except KeyboardInterrupt:
        report.interrupted = True
    report.cases = len(results)
    failures = []
    for r in results:
        if r.failure is not None:
            report.failed += 1
            failures.append(r.failure)
            if report.first is None:
                report.first = r.failure
        elif r.worst >= report.worst_ratio.get(r.case.dtype, -1.0):
            report.worst_ratio[r.case.dtype], report.worst_case[r.case.dtype] = r.worst, r.case
    if report.first is not None:
        report.failing_features = feature_counts(results)
        try:
            e = explain(grad, failures, report.failing_features, report.cases, cost,
                        shrink_failure and not report.interrupted)
        except KeyboardInterrupt:
            report.interrupted = True
            e = explain(grad, failures, report.failing_features, report.cases, cost, shrink_failure=False)
        report.first, report.shrunk, report.diagnosis, report.mistakes = e.first, e.shrunk, e.lines, e.keys
        report.failures_by_kind = e.by_kind
        if reproduce:
            report.reproduce = reproduce(report.shrunk.case)
    report.seconds = time.perf_counter() - start
    return report
