"""Many cases against the reference: chunks of cases go to the engine while the candidate runs on the previous
chunk, the values are screened a chunk at a time, and each case comes back as a ``Result``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import candidate, engine, longdouble, ranges, values
from .cases import Case, materialise
from .limits import CHUNK
from .results import Result

GradFn = Callable[..., object]


def _chunks(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped by what the engine compiles for (dtype and padded width), ``CHUNK`` at a time,
    sorted by depth and width inside a group so that a chunk's deepest and widest case (which bound the
    NumPy half of the engine's work) are close to its typical one."""
    groups: dict[tuple[str, int, bool], list[Case]] = {}
    for c in cases:
        groups.setdefault((c.dtype, engine.width_bucket(c.sizes), c.extreme), []).append(c)
    chunks = []
    for g in groups.values():
        g = sorted(g, key=lambda c: (c.depth, max(c.sizes), c.batch))
        chunks += [g[i:i + CHUNK] for i in range(0, len(g), CHUNK)]
    return chunks


def _dispatch(mats, first: Case):
    """The engine's handle for a chunk, or for extreme cases their (Reference, RangeInfo) from ``longdouble``."""
    return longdouble.reference(mats, first.dtype) if first.extreme else engine.dispatch(mats, first.dtype)


def run_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None) -> list[Result]:
    """Check ``grad`` (and ``cost`` when given) on every case: one ``Result`` per case."""
    return [result for chunk_results in iter_cases(grad, cases, cost) for result in chunk_results]


def iter_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None) -> Iterator[list[Result]]:
    """``run_cases`` one chunk at a time: yields each chunk's ``Result`` list, so an
    interrupted run keeps every chunk finished before the interrupt.

    Chunks of cases go to the engine while the candidate runs on the previous chunk (JAX computes in the
    background); the element-wise comparison is vectorised over a chunk, and only a failing case is
    examined element by element for the report.
    """
    chunks = _chunks(cases)
    watched = ranges.Watched(grad)
    pending = None
    for i, chunk in enumerate(chunks):
        if pending is None:
            mats = [materialise(c) for c in chunk]
            pending = (mats, _dispatch(mats, chunk[0]))
        mats, handle = pending
        pending = None
        if i + 1 < len(chunks):                       # start the next chunk's jax.grad before our Python work
            nxt = [materialise(c) for c in chunks[i + 1]]
            pending = (nxt, _dispatch(nxt, chunks[i + 1][0]))
        extreme = chunk[0].extreme
        outputs, failures, decided = [], [], []
        for case, (params, x, y) in zip(chunk, mats):
            arrays, failure = candidate.call(watched if extreme else grad, case, params, x, y)
            if extreme:                                   # the range rule: a refusal, or values beyond range
                done, failure = ranges.judge_grad(case, failure, watched.refused, handle[1], len(outputs))
                arrays = None if done else arrays
                decided.append(done)
            outputs.append(arrays)
            failures.append(failure)
        ref = handle[0] if extreme else engine.collect(handle)
        worst = values.worst_ratios(mats, outputs, ref)
        results = []
        for k, (case, (params, x, y)) in enumerate(zip(chunk, mats)):
            failure = failures[k]
            if failure is None and not worst[k] <= 1.0 and not (extreme and decided[k]):
                _, failure = values.compare_case(case, params, outputs[k], ref, k)
            if failure is None and cost is not None:
                failure = (ranges.compare_cost(case, cost, params, x, y, ref, handle[1], k) if extreme
                           else values.compare_cost(case, cost, params, x, y, ref, k))
            if extreme and decided[k] and failure is None:
                worst[k] = 0.0
            results.append(Result(case, 0.0 if failure is not None else float(worst[k]), failure))
        yield results
