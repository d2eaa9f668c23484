"""Many cases against the reference: chunks of cases go to the engine while the candidate runs on the previous
chunk, the values are screened a chunk at a time, and each case comes back as a ``Result``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case, materialise, shared
from ..cases.limits import CHUNK
from ..reference import source
from ..sandbox import interrupts, layouts
from ..sandbox.process import Isolated
from . import candidate, parts, ranges, values
from .convention import SEED, Convention, network_cases
from .results import SHAPE, Result

GradFn = Callable[..., object]
_DTYPES = {"float32": np.dtype(np.float32), "float64": np.dtype(np.float64)}
Scale = Callable[[Case], float]


def _chunks(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped by what the reference compiles for (``source.group``), ``CHUNK`` at a time, sorted by depth
    and width inside a group so that a chunk's deepest and widest case (which bound the NumPy half of the engine's
    work) are close to its typical one."""
    groups: dict[tuple, list[Case]] = {}
    for c in cases:
        groups.setdefault(source.group(c), []).append(c)
    chunks = []
    for g in groups.values():
        g = sorted(g, key=lambda c: (c.depth, max(c.sizes), c.batch))
        chunks += [g[i:i + CHUNK] for i in range(0, len(g), CHUNK)]
    return chunks


def _dispatch(chunk: list[Case], read_only: bool = False) -> tuple[list, source.Pending]:
    """The chunk's arrays and its reference, started (``source``, which keeps an unpadded chunk's). ``read_only``:
    nothing in this process will change the arrays (a worker-process candidate gets copies in shared memory), so
    a large case's are shared (``cases.shared``), not drawn again."""
    mats = [(shared if read_only else materialise)(c) for c in chunk]
    return mats, source.dispatch(mats, chunk[0].dtype, chunk[0].extreme, chunk)


class Part(NamedTuple):
    """One chunk on its way through ``pipeline``: its cases, their arrays and its reference started (read it with
    ``source.collect``)."""

    cases: list[Case]
    mats: list
    started: source.Pending


def pipeline(chunks: list[list[Case]], read_only: bool = False,
             on_drawn: Callable[[list], None] | None = None) -> Iterator[Part]:
    """The chunks one at a time, each with its reference started and the next one's started before it is handed
    over, so that ``jax.grad`` computes in the background while the caller runs the candidate (gradients, steps
    and epochs alike). ``on_drawn(mats)`` is called as soon as each chunk's arrays exist (a worker starts on them
    before the next chunk is drawn). Each chunk's cases must be of one ``source.group``; ``read_only`` as for
    ``_dispatch``."""
    def draw(chunk: list[Case]) -> tuple[list, source.Pending]:
        drawn = _dispatch(chunk, read_only)
        if on_drawn is not None:
            on_drawn(drawn[0])
        return drawn

    pending = None
    for i, chunk in enumerate(chunks):
        interrupts.check()                            # a Ctrl-C a gc callback swallowed
        mats, started = pending if pending is not None else draw(chunk)
        pending = draw(chunks[i + 1]) if i + 1 < len(chunks) else None
        yield Part(chunk, mats, started)


def run_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None, **options) -> list[Result]:
    """Check ``grad`` (and ``cost`` when given) on every case: one ``Result`` per case (``options``, the convention
    and the parts, as for ``iter_cases``)."""
    return [result for chunk_results in iter_cases(grad, cases, cost, **options) for result in chunk_results]


def _scaled_cost(cost: GradFn, layout: layouts.Layout, k: float) -> GradFn:
    """The candidate's cost called on its own layout, divided by the declared constant."""
    def scaled(params, x, y):
        given = layouts.to_candidate(params, x, y, layout)
        return float(cost(given.params(layout.grads), given.x, given.y)) / k
    return scaled


def iter_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None, *, convention: Convention = SEED,
               pieces: parts.Pieces | None = None) -> Iterator[list[Result]]:
    """``run_cases`` one chunk at a time: yields each chunk's ``Result`` list, so an
    interrupted run keeps every chunk finished before the interrupt.

    ``convention`` says how the candidate is called and read (``Convention``: its layout and form go to
    ``candidate.call_here`` or ``send_chunk``; its ``scale(case)``, when given, is the constant the candidate's
    gradients and cost are divided by before they are compared). ``pieces``, when given (the project's own
    backend's forward, sigmoid and accuracy, in this process), are checked on every case whose gradient and cost
    agree (``parts``). Chunks of cases go to the engine while the
    candidate runs on the previous chunk (JAX computes in the background); a worker-process candidate gets the
    next chunk before this one is compared, so that it computes while this process does. The element-wise
    comparison is vectorised over a chunk, and only a failing case is examined element by element for the report.
    """
    layout, form, scale, strict_dtype = convention
    cases = network_cases(cases, layout)
    isolated = isinstance(grad, Isolated)
    if isolated and pieces is not None:
        raise ValueError("a backend's pieces (forward, sigmoid, accuracy) are checked in this process only")
    out = []                                          # batches sent to the worker, not yet collected
    try:
        def send(mats: list) -> None:                 # the worker computes while this process does
            out.append(candidate.send_chunk(grad, mats, cost is not None, layout=layout, form=form))

        for part in pipeline(_chunks(cases), isolated, send if isolated else None):
            chunk, mats, ref_pending = part.cases, part.mats, part.started
            if isolated:
                collected: list = []                  # the reference is collected while the worker computes
                outcomes = grad.collect(out[0], lambda p=ref_pending, c=collected: c.append(source.collect(p)))
                out.pop(0)
                calls = candidate.read_chunk(outcomes, chunk, mats, layout=layout, strict_dtype=strict_dtype)
                ref, costs = collected[0], [(c.cost, c.cost_refused) for c in calls]
            else:
                calls = candidate.call_here(grad, chunk, mats, layout=layout, form=form, strict_dtype=strict_dtype)
                ref, costs = source.collect(ref_pending), None            # the cost is called in _judge
            outputs, failures, decided = _range_rule(chunk, calls, ref_pending.range)
            results = _judge(chunk, mats, outputs, failures, costs, decided, ref, ref_pending.range, cost, layout,
                             scale)
            results = [_beside_shape(r, c.partial, mat, ref, k, scale)
                       for k, (r, c, mat) in enumerate(zip(results, calls, mats))]
            if pieces is not None:
                results = [_parts(r, mat, ref, ref_pending.range, k, pieces)
                           for k, (r, mat) in enumerate(zip(results, mats))]
            yield results
    finally:
        for batch in out:                             # a request still out: its replies must not be read later
            grad.abandon(batch)


def _range_rule(chunk: list[Case], calls: list, info) -> tuple[list, list, list[bool]]:
    """(outputs, failures, decided) of a chunk's ``Called``s: on an extreme chunk (``info`` its ``RangeInfo``) the
    range rule settles a case that refused, or returned values where the exact gradient is beyond range
    (``ranges.judge_grad``); every other case's values are compared as usual."""
    outputs, failures, decided = [c.arrays for c in calls], [c.failure for c in calls], [False] * len(calls)
    if info is not None:
        for k, (case, c) in enumerate(zip(chunk, calls)):
            decided[k], failures[k] = ranges.judge_grad(case, c.failure, c.refused, info, k)
            outputs[k] = None if decided[k] else outputs[k]
    return outputs, failures, decided


def _judge(chunk: list[Case], mats: list, outputs: list, failures: list, costs: list | None, decided: list,
           ref, info, cost: GradFn | None, layout: layouts.Layout, scale: Scale | None) -> list[Result]:
    """A chunk's ``Result``s from the candidate's outputs (and structural failures, range-rule decisions) and
    the reference (``info``: an extreme chunk's ``RangeInfo``, else None). ``costs``: per case (the worker's
    cost or what went wrong, whether it was refused), or None when the cost is called here."""
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
            failure = (ranges.call_and_judge_cost(case, cost, mat, ref, info, k) if costs is None else
                       ranges.judge_cost(case, *costs[k], ref, info, k))
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


def _beside_shape(r: Result, partial: list | None, mat, ref, k: int, scale: Scale | None) -> Result:
    """``r``, where it failed on a shape beside arrays of the right shape (``partial``, flat, None for each wrong
    one), with those compared (``Failure.beside``: their value failure, where they disagree): each wrong array is
    left out by an infinite tolerance, as ``--biases none`` leaves b out (round 48's jwkidd3_m2: grad b of one
    value per example hid the 1/m applied twice in every grad W)."""
    if r.failure is None or r.failure.kind != SHAPE or partial is None:
        return r
    c = scale(r.case) if scale is not None else 1.0
    pairs = list(zip(partial[::2], partial[1::2]))
    refs = values.left_out([ref.layer(k, l) for l in range(len(mat[0]))], pairs)
    got = [tuple(np.asarray(w, np.float64) if a is None else a / np.asarray(c, a.dtype)
                 for a, w in ((cW, lr.W), (cb, lr.b))) for (cW, cb), lr in zip(pairs, refs)]
    _, beside = values.compare_layers(r.case, got, refs, values.GRADIENT)
    return r if beside is None else r._replace(failure=dataclasses.replace(r.failure, beside=beside))


def _parts(r: Result, mat, ref, info, k: int, pieces: parts.Pieces) -> Result:
    """``r`` failed by one of the backend's ``pieces`` when its gradient and cost agreed; ``info`` is an extreme
    chunk's ``RangeInfo`` (None otherwise)."""
    if r.failure is not None:
        return r
    extreme = info is not None and bool(info.cost_maybe[k])
    failure = parts.failure(pieces, r.case, *mat, ref.cost(k), extreme)
    return r if failure is None else r._replace(worst=0.0, failure=failure)
