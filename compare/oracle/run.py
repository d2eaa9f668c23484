"""Many cases against the reference: chunks of cases go to the engine while the candidate runs on the previous
chunk, the values are screened a chunk at a time, and each case comes back as a ``Result``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import candidate, engine, values
from .cases import Case, materialise
from .limits import CHUNK
from .process import Isolated
from .results import Result

GradFn = Callable[..., object]


def _chunks(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped by what the engine compiles for (dtype and padded width), ``CHUNK`` at a time,
    sorted by depth and width inside a group so that a chunk's deepest and widest case (which bound the
    NumPy half of the engine's work) are close to its typical one."""
    groups: dict[tuple[str, int], list[Case]] = {}
    for c in cases:
        groups.setdefault((c.dtype, engine.width_bucket(c.sizes)), []).append(c)
    chunks = []
    for g in groups.values():
        g = sorted(g, key=lambda c: (c.depth, max(c.sizes), c.batch))
        chunks += [g[i:i + CHUNK] for i in range(0, len(g), CHUNK)]
    return chunks


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
    pending = None
    for i, chunk in enumerate(chunks):
        if pending is None:
            mats = [materialise(c) for c in chunk]
            pending = (mats, engine.dispatch(mats, chunk[0].dtype))
        mats, handle = pending
        pending = None
        if i + 1 < len(chunks):                       # start the next chunk's jax.grad before our Python work
            nxt = [materialise(c) for c in chunks[i + 1]]
            pending = (nxt, engine.dispatch(nxt, chunks[i + 1][0].dtype))
        if isinstance(grad, Isolated):                # the worker computes while the reference is collected
            collected: list = []
            calls = candidate.call_chunk(grad, chunk, mats, cost is not None,
                                         lambda h=handle, into=collected: into.append(engine.collect(h)))
            outputs, failures, costs = (list(t) for t in zip(*calls))
            ref = collected[0]
        else:
            outputs, failures, costs = [], [], None
            for case, (params, x, y) in zip(chunk, mats):
                arrays, failure = candidate.call(grad, case, params, x, y)
                outputs.append(arrays)
                failures.append(failure)
            ref = engine.collect(handle)
        worst = values.worst_ratios(mats, outputs, ref)
        results = []
        for k, (case, mat) in enumerate(zip(chunk, mats)):
            failure = failures[k]
            if failure is None and not worst[k] <= 1.0:
                _, failure = values.compare_case(case, mat[0], outputs[k], ref, k)
            if failure is None and cost is not None:
                failure = values.compare_cost(case, costs[k] if costs is not None else _cost(cost, mat), ref, k)
            results.append(Result(case, 0.0 if failure is not None else float(worst[k]), failure))
        yield results


def _cost(cost: GradFn, mat) -> float | str:
    """The in-process candidate's cost on one case, or what went wrong ("ValueError: ...")."""
    try:
        return float(cost(*mat))
    except Exception as e:
        return f"{type(e).__name__}: {e}"
