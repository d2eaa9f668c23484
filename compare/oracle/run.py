"""Many cases against the reference: chunks of cases go to the engine while the candidate runs on the previous
chunk, the values are screened a chunk at a time, and each case comes back as a ``Result``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from . import candidate, engine, forms, interrupts, layouts, longdouble, parts, ranges, unpadded, values
from .cases import Case, materialise
from .limits import CHUNK
from .process import Isolated
from .results import Result

GradFn = Callable[..., object]
_DTYPES = {"float32": np.dtype(np.float32), "float64": np.dtype(np.float64)}
Scale = Callable[[Case], float]


def _group(c: Case) -> tuple:
    if unpadded.needed(c.sizes, c.batch):
        return (c.dtype, "unpadded", c.sizes, c.batch)
    return (c.dtype, engine.width_bucket(c.sizes), c.extreme)


def _chunks(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped by what the engine compiles for (dtype and padded width; an unpadded case's own shape),
    ``CHUNK`` at a time, sorted by depth and width inside a group so that a chunk's deepest and widest case
    (which bound the NumPy half of the engine's work) are close to its typical one."""
    groups: dict[tuple, list[Case]] = {}
    for c in cases:
        groups.setdefault(_group(c), []).append(c)
    chunks = []
    for g in groups.values():
        g = sorted(g, key=lambda c: (c.depth, max(c.sizes), c.batch))
        chunks += [g[i:i + CHUNK] for i in range(0, len(g), CHUNK)]
    return chunks


class _Ready:
    """A reference computed at once (``longdouble`` for extreme cases): ``collect`` hands it over."""

    @staticmethod
    def collect(handle):
        return handle[0]


def _dispatch(chunk: list[Case]):
    """(the cases' arrays, where the reference comes from, its handle). Extreme cases get ``longdouble``'s
    (Reference, RangeInfo) at once; others the padded engine's or the unpadded one's, running in the background."""
    mats = [materialise(c) for c in chunk]
    if chunk[0].extreme:
        return mats, _Ready, longdouble.reference(mats, chunk[0].dtype)
    source = unpadded if unpadded.needed(chunk[0].sizes, chunk[0].batch) else engine
    return mats, source, source.dispatch(mats, chunk[0].dtype)


def run_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None, **options) -> list[Result]:
    """Check ``grad`` (and ``cost`` when given) on every case: one ``Result`` per case (``options`` as for
    ``iter_cases``)."""
    return [result for chunk_results in iter_cases(grad, cases, cost, **options) for result in chunk_results]


def _scaled_cost(cost: GradFn, layout: layouts.Layout, k: float) -> GradFn:
    """The candidate's cost called on its own layout, divided by the declared constant."""
    def scaled(params, x, y):
        given = layouts.to_candidate(params, x, y, layout)
        return float(cost(given.params(layout.grads), given.x, given.y)) / k
    return scaled


def iter_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None, *,
               layout: layouts.Layout = layouts.DEFAULT, form: forms.Form = forms.GRAD,
               strict_dtype: bool = False, scale: Scale | None = None, forward: GradFn | None = None,
               sigmoid: GradFn | None = None) -> Iterator[list[Result]]:
    """``run_cases`` one chunk at a time: yields each chunk's ``Result`` list, so an
    interrupted run keeps every chunk finished before the interrupt.

    ``layout``, ``form`` and ``strict_dtype`` go to ``candidate.call``; ``scale(case)``, when given, is the
    constant the candidate's gradients (and cost) are divided by before they are compared (a declared cost
    convention). ``forward`` and ``sigmoid``, when given (the project's own backend, in this process), are
    checked on every case whose gradient and cost agree (``parts``). Chunks of cases go to the engine while the
    candidate runs on the previous chunk (JAX computes in the background); a worker-process candidate gets the
    next chunk before this one is compared, so that it computes while this process does. The element-wise
    comparison is vectorised over a chunk, and only a failing case is examined element by element for the report.
    """
    if isinstance(grad, candidate.Configured):        # a worker-process candidate with its own options
        grad, layout, form, scale = grad
    isolated = isinstance(grad, Isolated)
    if isolated and (forward is not None or sigmoid is not None):
        raise ValueError("forward and sigmoid are checked in this process only")
    chunks = _chunks(cases)
    watched = ranges.Watched(grad)
    pending, out = None, []                           # out: batches sent to the worker, not yet collected
    try:
        for i, chunk in enumerate(chunks):
            interrupts.check()                        # a Ctrl-C a gc callback swallowed
            if pending is None:
                pending = _dispatch(chunk)
            mats, source, handle = pending
            pending = None
            if i + 1 < len(chunks):                   # start the next chunk's jax.grad before our Python work
                pending = _dispatch(chunks[i + 1])
            if isolated:
                if not out:
                    out.append(candidate.send_chunk(grad, mats, cost is not None, layout=layout, form=form))
                if pending is not None:               # the worker has the next chunk queued behind this one
                    out.append(candidate.send_chunk(grad, pending[0], cost is not None, layout=layout, form=form))
                collected: list = []                  # the reference is collected while the worker computes
                outcomes = grad.collect(out[0], lambda s=source, h=handle, c=collected: c.append(s.collect(h)))
                out.pop(0)
                calls = candidate.read_chunk(outcomes, chunk, mats, layout=layout, strict_dtype=strict_dtype)
                outputs, failures = [c.arrays for c in calls], [c.failure for c in calls]
                costs = [(c.cost, c.cost_refused) for c in calls]
                decided, ref = [False] * len(chunk), collected[0]
                if chunk[0].extreme:                  # the range rule: a refusal, or values beyond range
                    for k, (case, c) in enumerate(zip(chunk, calls)):
                        decided[k], failures[k] = ranges.judge_grad(case, c.failure, c.refused, handle[1], k)
                        outputs[k] = None if decided[k] else outputs[k]
            else:
                outputs, failures, costs, decided = [], [], None, []
                extreme = chunk[0].extreme
                for case, (params, x, y) in zip(chunk, mats):
                    arrays, failure = candidate.call(watched if extreme else grad, case, params, x, y,
                                                     layout=layout, form=form, strict_dtype=strict_dtype)
                    done = False
                    if extreme:                       # the range rule: a refusal, or values beyond range
                        done, failure = ranges.judge_grad(case, failure, watched.refused, handle[1], len(outputs))
                        arrays = None if done else arrays
                    decided.append(done)
                    outputs.append(arrays)
                    failures.append(failure)
                ref = source.collect(handle)
            results = _judge(chunk, mats, outputs, failures, costs, decided, ref, handle, cost, layout, scale)
            if forward is not None or sigmoid is not None:
                info = handle[1] if chunk[0].extreme else None
                results = [_parts(r, mat, ref, info, k, forward, sigmoid)
                           for k, (r, mat) in enumerate(zip(results, mats))]
            yield results
    finally:
        for batch in out:                             # a request still out: its replies must not be read later
            grad.abandon(batch)


def _judge(chunk: list[Case], mats: list, outputs: list, failures: list, costs: list | None, decided: list,
           ref, handle, cost: GradFn | None, layout: layouts.Layout, scale: Scale | None) -> list[Result]:
    """A chunk's ``Result``s from the candidate's outputs (and structural failures, range-rule decisions) and
    the reference. ``costs``: per case (the worker's cost or what went wrong, whether it was refused), or None
    when the cost is called here."""
    extreme = chunk[0].extreme
    wider = []
    for n, case in enumerate(chunk):
        if outputs[n] is not None and scale is not None:
            k = scale(case)
            outputs[n] = [a / np.asarray(k, a.dtype) for a in outputs[n]]
        dtypes = {a.dtype for a in outputs[n] or ()} - {_DTYPES.get(case.dtype) or np.dtype(case.dtype)}
        wider.append(max(str(d) for d in dtypes) if dtypes else None)
    worst = values.worst_ratios(mats, outputs, ref)
    results = []
    for k, (case, mat) in enumerate(zip(chunk, mats)):
        failure = failures[k]
        if failure is None and not worst[k] <= 1.0 and not decided[k]:
            _, failure = values.compare_case(case, mat[0], outputs[k], ref, k)
        if failure is None and cost is not None and extreme:
            failure = (ranges.compare_cost(case, cost, mat, ref, handle[1], k) if costs is None else
                       ranges.judge_cost(case, *costs[k], ref, handle[1], k))
        elif failure is None and cost is not None:
            k_scale = scale(case) if scale else 1.0
            if costs is not None:
                c = costs[k][0] / k_scale if isinstance(costs[k][0], float) else costs[k][0]
            else:
                c = candidate.call_cost(cost if layout == layouts.DEFAULT and scale is None
                                        else _scaled_cost(cost, layout, k_scale), *mat).value
            failure = values.compare_cost(case, c, ref, k)
        if decided[k] and failure is None:
            worst[k] = 0.0
        results.append(Result(case, 0.0 if failure is not None else float(worst[k]), failure, wider[k]))
    return results


def _parts(r: Result, mat, ref, info, k: int, forward: GradFn | None, sigmoid: GradFn | None) -> Result:
    """``r`` failed by ``forward`` or ``sigmoid`` (``parts``) when its gradient and cost agreed; ``info`` is an
    extreme chunk's ``RangeInfo`` (None otherwise): a cost that may be beyond range is not compared."""
    if r.failure is not None:
        return r
    params, x, y = mat
    C, tol = ref.cost(k)
    failure = None
    if forward is not None:
        comparable = bool(np.isfinite(C) and np.isfinite(tol)) and not (info is not None and info.cost_maybe[k])
        failure = parts.forward_failure(forward, r.case, params, x, y, (C, tol), comparable)
    if failure is None and sigmoid is not None:
        failure = parts.sigmoid_failure(sigmoid, r.case, params, x)
    return r if failure is None else r._replace(worst=0.0, failure=failure)
