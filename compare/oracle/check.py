"""``check_grad``: a whole run, from cases to ``Report``.

Each case is checked in this order: the candidate returned without raising; the number of layers; each
array's exact shape (``(n, 1)`` is not ``(n,)``); the dtype; NaN or inf where the reference is finite; its
inputs unchanged bit for bit; then every element against ``jax.grad`` with the tolerance of ``bound``. The
first failing case is shrunk and diagnosed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .cases import Case, draw_cases
from .diagnose import diagnose
from .features import feature_counts
from .results import Report, Result
from .run import GradFn, iter_cases
from .shrink import shrink


def check_grad(grad: GradFn, cases: list[Case] | None = None, *, examples: int = 2000, seed: int = 0,
               name: str = "candidate", cost: GradFn | None = None, shrink_failure: bool = True,
               progress: Callable[[int, int], None] | None = None,
               reproduce: Callable[[Case], str] | None = None) -> Report:
    """Check ``grad(params, x, y)`` against ``jax.grad`` on ``cases``; return a Report (see module doc).

    ``cases`` defaults to ``examples`` random cases drawn from ``seed`` (both dtypes). ``cost``, when given,
    is checked too. A plain function is called in this process (guarded by ``isolation``, which stops
    exceptions, sys.exit, printing and time-outs but not os._exit, crashes or tampering), so it suits code you
    trust, e.g. your own in your own pytest; ``check_file`` runs a file in a process of its own. Keyboard
    interrupts stop the run early: the report then covers the cases checked so far.
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
    for r in results:
        if r.failure is not None:
            report.failed += 1
            if report.first is None:
                report.first = r.failure
        elif r.worst >= report.worst_ratio.get(r.case.dtype, -1.0):
            report.worst_ratio[r.case.dtype], report.worst_case[r.case.dtype] = r.worst, r.case
    if report.first is not None:
        report.failing_features = feature_counts(results)
        report.shrunk = report.first
        if shrink_failure and not report.first.lost and not report.interrupted:
            try:
                report.shrunk = shrink(grad, report.first, cost)
            except KeyboardInterrupt:
                report.interrupted = True
        report.diagnosis = diagnose(report.shrunk, report.failing_features, report.cases, report.failed,
                                    report.first)
        if reproduce:
            report.reproduce = reproduce(report.shrunk.case)
    report.seconds = time.perf_counter() - start
    return report


def check_file(path: str, cases: list[Case] | None = None, *, memory_limit: int | None = None,
               **kwargs) -> Report:
    """``check_grad`` for the ``grad`` (and ``cost``, if defined) of the Python file at ``path``, run in a worker
    process of its own (``process.Isolated``), as ``python -m compare --candidate`` does: nothing the file does
    can change the verdict. CandidateError when the file cannot be used. Other keywords go to ``check_grad``.
    """
    from .process import Isolated

    target = Isolated(path, memory_limit=memory_limit)
    try:
        return check_grad(target, cases, cost=target.cost if target.has_cost else None,
                          **{"name": path, **kwargs})
    finally:
        target.close()


def assert_grad_matches(grad, cases: list[Case] | None = None, **kwargs) -> None:
    """Raise AssertionError with the full report unless ``grad`` agrees with ``jax.grad`` on ``cases``
    (a list of ``Case``; default: ``check_grad``'s random cases). Keyword arguments go to ``check_grad``.
    """
    from .report import format_report

    report = check_grad(grad, cases, **kwargs)
    if not report.ok:
        raise AssertionError("\n" + format_report(report))
