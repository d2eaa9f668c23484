"""``check_epoch``: mini-batch code checked against the sequence of steps the seed defines, one epoch over the
examples in a fixed order, mini-batches of k and a last, smaller one of the m mod k left over.

Two forms (``forms.Form``):

- FUNCTION ``epoch(params, X, Y, eta, batch_size)``: one epoch over the rows of X (m, n_0), Y (m, n_L) in the
  order given (the oracle has already shuffled them), returning the new parameters or updating them in place.
  It is called on the first j k rows for j = 1, 2, ... and on all m, so its parameters after every step are
  seen; it must be deterministic (the same call gives the same result);
- METHOD ``obj.update_mini_batch(mini_batch, eta)`` (Nielsen's): the oracle hands it the epoch's mini-batches, a
  list of (x, y) pairs in the layout's example shape ((n, 1) columns for ``--preset nielsen``), one call each on
  an object set to the parameters the previous call left.

Each step j is then checked like ``check_step``: the candidate's parameters after step j against the reference
step from its own parameters after step j - 1 on mini-batch j, with the same per-element bound, so errors do
not compound. A failing last, smaller step is also tested against "dropped" and "padded" (``PARTIAL``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..cases.cases import Case, draw_default, materialise
from ..diagnosis.stepmistakes import StepInputs, StepMistake, accumulated, mean_gradient, per_example
from ..sandbox import forms, interrupts, layouts
from ..sandbox.forms import How
from ..verdict.convention import network_cases
from ..verdict.update import call_update
from .stepcheck import (
    StepReport,
    StepResult,
    check_one,
    confirm_constant_into,
    diagnose_into,
    references,
    scaled,
    summarise,
)


class EpochCase(NamedTuple):
    """An epoch to check: the ``case`` (its batch is the epoch's m >= 2 examples), ``eta`` and ``batch_size``."""

    case: Case
    eta: float
    batch_size: int


def draw_epochs(n: int, seed: int, cases: list[Case] | None = None, eta: float | None = None,
                batch_size: int | None = None) -> list[EpochCase]:
    """``n`` epochs: cases of 2-16 examples (or the first ``n`` of ``cases``, a batch of m < 2 made 2), a
    mini-batch size 1..m-1 (so most epochs end on a smaller batch) and a drawn eta. ``eta`` and ``batch_size``
    (``--eta``, ``--mini-batch``) fix them instead: code with its own learning rate or mini-batch size takes
    nothing else. With a fixed size k the drawn m is at least k + 1 (up to ``MAX_BATCH``), so an epoch has two
    steps or more; ``cases`` keep their own m (a ``--batch`` fixes it)."""
    from ..cases.limits import MAX_BATCH
    from ..reference.step import draw_etas

    rng = np.random.default_rng([seed, 13])
    out = []
    for case, drawn_eta in zip(draw_default(n, seed) if cases is None else cases[:n], draw_etas(n, seed)):
        m = max(case.batch, 2)
        if batch_size is not None and cases is None:
            m = max(m, min(batch_size + 1, MAX_BATCH))
        k = int(rng.integers(1, m))
        out.append(EpochCase(dataclasses.replace(case, batch=m), drawn_eta if eta is None else eta,
                             k if batch_size is None else batch_size))
    return out


def _pad_mistakes(k: int, X: np.ndarray, Y: np.ndarray) -> list[StepMistake]:
    """The last, smaller mini-batch's mistakes, for the epoch's ordered rows X, Y (float64)."""
    r = X.shape[0] % k

    def padded(Xp, Yp):
        def compute(i: StepInputs):
            g = mean_gradient(i.params, Xp, Yp)        # the seed's gradient: times k, a declared convention's
            c = i.eta * i.k
            return [(W - c * gW, b - c * gb) for (W, b), (gW, gb) in zip(i.params, g)], c
        return compute

    wrap = np.arange(X.shape[0] - r, X.shape[0] - r + k) % X.shape[0]
    zeros_X = np.concatenate([X[-r:], np.zeros((k - r, X.shape[1]))])
    zeros_Y = np.concatenate([Y[-r:], np.zeros((k - r, Y.shape[1]))])
    return [
        StepMistake("last_dropped", f"the last, partial mini-batch was dropped: the epoch's last {r} examples "
                f"(m mod k = {X.shape[0]} mod {k}) must make one more, smaller step",
                lambda i: ([(W, b) for W, b in i.params], 0.0)),
        StepMistake("last_divided_by_k", f"the last, partial mini-batch of {r} was averaged over k = {k}: divide by "
                "len(mini_batch), not by the nominal mini-batch size", lambda i: (
                    [(W - i.eta * r / k * gW, b - i.eta * r / k * gb) for (W, b), (gW, gb) in zip(i.params, i.g)],
                    i.eta)),
        StepMistake("last_padded_wrap", f"the last, partial mini-batch was padded to k = {k} with examples from the "
                "start of the epoch: it must hold only the m mod k left over", padded(X[wrap], Y[wrap])),
        StepMistake("last_padded_zeros", f"the last, partial mini-batch was padded to k = {k} with zero examples: it "
                "must hold only the m mod k left over", padded(zeros_X, zeros_Y)),
    ]


def _epoch_steps(target, form: forms.Form, layout: layouts.Layout, e: EpochCase, strict_dtype: bool):
    """The candidate's parameters after each step of epoch ``e``: [(start params, X_j, Y_j, Update)]."""
    params, X, Y = materialise(e.case)
    m, k = X.shape[0], e.batch_size
    ends = list(range(k, m, k)) + [m]
    steps, prev = [], params
    for j, end in enumerate(ends):
        begin = 0 if j == 0 else ends[j - 1]
        if form.kind == forms.FUNCTION:       # an epoch over the first `end` rows, from the start
            upd = call_update(target, form, layout, e.case, params, X[:end], Y[:end], How(e.eta, k),
                              strict_dtype=strict_dtype)
        else:                                 # one mini-batch from where the last call left the object
            upd = call_update(target, form, layout, e.case, prev, X[begin:end], Y[begin:end],
                              How(e.eta, k), strict_dtype=strict_dtype)
        steps.append((prev, X[begin:end], Y[begin:end], upd))
        if upd.params is None:
            break
        prev = [(W.astype(params[0][0].dtype), b.astype(params[0][0].dtype)) for W, b in upd.params]
    return steps


def _later_steps_line(firsts: list[StepResult], results: list[StepResult]) -> str | None:
    """The line for an epoch function whose first step agrees in every epoch (having moved W in some) while later
    steps fail: each call runs the epoch from the start over the first k, 2k, ... rows, and its last step is
    checked from the previous call's result, so code whose earlier steps read rows beyond their own mini-batch
    (x[j - 1], which wraps to the last row at j = 0) or carry state from step to step fails only there."""
    failing = [r for r in results if r.failure is not None]
    if not failing or any(r.failure is not None for r in firsts) or not any(r.moved for r in firsts):
        return None
    return (f"every epoch's first step agrees ({len(firsts)} epochs of several steps) and only later steps fail "
            f"({len(failing)}): each call runs the epoch from the start on the first k, 2k, ... rows, so steps that "
            "read rows beyond their own mini-batch (an index off by one, x[j - 1], wrapping to the last row at "
            "j = 0) or carry state from step to step fail so")


def check_epoch(target: Callable, epochs: list[EpochCase] | None = None, *, examples: int = 400, seed: int = 0,
                name: str = "epoch", layout: layouts.Layout | str = layouts.DEFAULT,
                form: forms.Form = forms.EPOCH, strict_dtype: bool = False,
                progress: Callable[[int, int], None] | None = None,
                reproduce: Callable[[EpochCase], str] | None = None, scale=None,
                find_constant: bool = True, diagnose: bool = True) -> StepReport:
    """Check mini-batch code (module docstring) on ``epochs`` (default ``draw_epochs(examples, seed)``); every
    step of every epoch is a case of the returned ``StepReport``. ``scale`` as for ``check_step``, with m the
    step's mini-batch size; without it, a constant K every step is off by is confirmed by a rerun as for
    ``check_step`` (``find_constant``; ``diagnose=False``: no diagnosis, for such a rerun)."""
    if isinstance(layout, str):
        layout = layouts.PRESETS[layout]
    layout = dataclasses.replace(layout, one_example=False)
    epochs = draw_epochs(examples, seed) if epochs is None else epochs
    epochs = [e._replace(case=c) for e, c in zip(epochs, network_cases([e.case for e in epochs], layout))]
    start = time.perf_counter()
    report = StepReport(name, form="mini-batch step")
    results: list[StepResult] = []
    context: dict[int, tuple] = {}
    firsts: list[StepResult] = []                     # each epoch's first step (of several)
    try:
        for n, e in enumerate(epochs):
            interrupts.check()                        # a Ctrl-C a gc callback swallowed
            steps = _epoch_steps(target, form, layout, e, strict_dtype)
            refs = references([(p, Xj, Yj) for p, Xj, Yj, _ in steps], e.case.dtype, e.case.bare)
            _, X, Y = materialise(e.case)
            before: list[tuple[int, list]] = []       # (m_i, layers_i) of the epoch's earlier steps
            for j, ((p, Xj, Yj, upd), layers) in enumerate(zip(steps, refs)):
                k = scale(dataclasses.replace(e.case, batch=Xj.shape[0])) if scale is not None else 1.0
                layers = scaled(layers, k)
                r = check_one(e.case, e.eta, p, Xj, Yj, upd, layers, k)
                results.append(r)
                firsts += [r] if j == 0 and X.shape[0] > e.batch_size else []    # of several steps, as drawn
                #                                                  (not as run: a crash ends the epoch's steps)
                if r.failure is not None:
                    context[id(r)] = (e, j == len(steps) - 1 and X.shape[0] % e.batch_size, list(before))
                before.append((Xj.shape[0], layers))
            if progress:
                progress(n + 1, len(epochs))
    except KeyboardInterrupt:
        report.interrupted = True
        interrupts.handled()
    summarise(report, results)

    def extra(r: StepResult) -> list[StepMistake]:
        e, last_partial, before = context.get(id(r), (None, False, []))
        out = [accumulated(before)] if before else []
        out += [per_example(e.batch_size)] if e is not None and e.batch_size > 1 else []
        if not last_partial:
            return out
        _, X, Y = materialise(e.case)
        return out + _pad_mistakes(e.batch_size, np.asarray(X, np.float64), np.asarray(Y, np.float64))

    if diagnose:
        diagnose_into(report, results, extra, layout.batches_only)
        line = _later_steps_line(firsts, results) if form.kind == forms.FUNCTION and not report.mistakes else None
        report.diagnosis += [line] if line else []
    if find_constant and scale is None and report.failed and not report.interrupted:
        def rerun(k: Callable) -> StepReport:
            return check_epoch(target, epochs, name=name, layout=layout, form=form, strict_dtype=strict_dtype,
                               scale=k, find_constant=False, diagnose=False)
        confirm_constant_into(report, results, rerun)
    if report.smallest is not None and reproduce:
        e = context[id(report.smallest)][0]
        report.reproduce = reproduce(e)
    report.seconds = time.perf_counter() - start
    return report
