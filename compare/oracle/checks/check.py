"""``check_grad``: a whole run, from cases to ``Report``.

Each case is checked in this order: the candidate returned without raising; the number of layers; each
array's exact shape (``(n, 1)`` is not ``(n,)``); the dtype; NaN or inf where the reference is finite; its
inputs unchanged bit for bit; then every element against ``jax.grad`` with the tolerance of ``bound``. The
failures are counted by kind, and the first of the most frequent kind is shrunk and diagnosed (``explain``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable

from ..cases.cases import Case, draw_cases
from ..diagnosis.diagnose import other_crashes
from ..diagnosis.explain import by_kind, explain
from ..diagnosis.features import batch_crash_first, batch_crash_line, crash_sizes_line, feature_counts, one_dtype_agrees
from ..diagnosis.mistakes import as_constant
from ..diagnosis.shrink import drawn_space
from ..sandbox import forms, interrupts, layouts
from ..verdict import constants
from ..verdict.convention import Convention
from ..verdict.parts import Pieces
from ..verdict.results import NONFINITE, RAISED, VALUE, Failure, Keeper, Report, Result
from ..verdict.run import GradFn, iter_cases, run_cases
from ..verdict.values import apart


def _constant(grad: GradFn, cases: list[Case], results: list[Result], convention: Convention
              ) -> constants.Constant | None:
    """The constant K relating the candidate to the seed on every case, when there is one: fitted on the failing
    cases' ratios (with probe cases of other n_L and m when the fit is ambiguous), then confirmed by every case
    agreeing once divided by K."""
    failures = [r.failure for r in results if r.failure is not None]
    if not failures or any(f.kind != VALUE for f in failures):
        return None
    points = [(constants.ratio(f), *constants.n_L_m(f.case)) for f in failures[:64]]
    points = [p for p in points if p[0] is not None]     # a case with no element far above its tolerance has no
    if not points:                                       # ratio to read; the confirmation below still covers it
        return None
    fits = constants.fit(points)
    probes: list[Case] = []
    if len(fits) > 1 and constants.distinct(fits):
        probes = constants.probes(failures[0].case, convention.layout.one_example)
        for r in run_cases(grad, probes, convention=convention):
            rho = constants.ratio(r.failure) if r.failure is not None else None
            if rho is not None:
                points.append((rho, *constants.n_L_m(r.case)))
        fits = constants.fit(points)
    if not fits:
        return None
    k = fits[0]

    def scale(case: Case) -> float:
        return k.value(*constants.n_L_m(case))

    checked = run_cases(grad, cases + probes, convention=convention._replace(scale=scale))
    return k if all(r.failure is None for r in checked) else None


PROBE_CASES = 8


def _probe_layouts(grad: GradFn, failures: list, convention: Convention) -> layouts.Fix | None:
    """The layout, changing the fewest fields of the declared one, under which the first PROBE_CASES failing cases
    all agree, when there is one: evidence for the option a candidate that crashed on (or misread) our arrays
    needs."""
    return _first_fix(grad, failures, convention,
                      layouts.variants(convention.layout, ("weights", "biases", "examples", "grads")))


def _probe_bias_forms(grad: GradFn, failures: list, convention: Convention) -> layouts.Fix | None:
    """The first of ``layouts.bias_forms`` (the bias's sign flipped, z = W a - B; a layer without a bias) under
    which the first PROBE_CASES failing cases all agree: code of another bias form computes another network, so
    its values fail everywhere and no mistake reproduces them."""
    return _first_fix(grad, failures, convention, layouts.bias_forms(convention.layout))


UNSTEADY_CASES = 3   # failing cases (or steps) called again before a diagnosis: does the same call give the same?


def _unsteady(grad: GradFn, failures: list, convention: Convention) -> str | None:
    """The line that says a failing case's gradient changed when the case was called again (both calls returned
    values): code that is not a function of its inputs (a random draw inside, state kept between calls), from whose
    inputs no mistake can be reproduced; else None."""
    tried = [f for f in failures if f.kind in (VALUE, NONFINITE) and f.arrays][:UNSTEADY_CASES]
    for f, r in zip(tried, run_cases(grad, [f.case for f in tried], convention=convention)):
        again = r.failure
        if again is not None and (again.kind not in (VALUE, NONFINITE) or not again.arrays):
            continue                                 # it raised or hung this time: no evidence either way
        if again is None or any(apart(a.cand_W, b.cand_W, a.tol_W) or apart(a.cand_b, b.cand_b, a.tol_b)
                                for a, b in zip(f.arrays, again.arrays)):
            return (f"called again on the same case ({f.case.spec()}) the candidate returns another gradient: it is "
                    "not a function of its inputs (a random draw inside, or state kept between calls), so no "
                    "mistake can be reproduced from them; make it depend on params, x and y alone")
    return None


def _first_fix(grad: GradFn, failures: list, convention: Convention, fixes: list[layouts.Fix]
               ) -> layouts.Fix | None:
    """The first of ``fixes`` under which the first PROBE_CASES failing cases all agree; tried only where no
    failure hung or killed the candidate's process."""
    if any(f.lost for f in failures):
        return None
    probe = [f.case for f in failures[:PROBE_CASES]]
    for fix in fixes:
        if all(r.failure is None for r in run_cases(grad, probe, convention=convention._replace(layout=fix.layout))):
            return fix
    return None


def check_grad(grad: GradFn, cases: list[Case] | None = None, *, examples: int = 2000, seed: int = 0,
               name: str = "candidate", cost: GradFn | None = None, shrink_failure: bool = True,
               progress: Callable[[int, int], None] | None = None,
               reproduce: Callable[[Case], str] | None = None, layout: layouts.Layout | str = layouts.DEFAULT,
               form: forms.Form = forms.GRAD, strict_dtype: bool = False,
               scale: constants.Scale | str | None = None, pieces: Pieces | None = None,
               diagnose: bool = True) -> Report:
    """Check ``grad(params, x, y)`` against ``jax.grad`` on ``cases``; return a Report (see module doc).

    ``cases`` defaults to ``examples`` random cases drawn from ``seed`` (both dtypes). ``cost``, when given,
    is checked too. A plain function is called in this process (guarded by ``isolation``, which stops
    exceptions, sys.exit, printing and time-outs but not os._exit, crashes or tampering), so it suits code you
    trust, e.g. your own in your own pytest; ``check_file`` runs a file in a process of its own. Keyboard
    interrupts stop the run early: the report then covers the cases checked so far.

    ``layout`` (a ``layouts.Layout`` or a preset name such as ``"nielsen"``) is how the candidate lays out its
    arrays, ``form`` how it is called (``forms.Form``; ``grad`` is then the class for a method). A candidate whose
    gradients are a wider float than the network's passes with a note unless ``strict_dtype``. ``scale`` (a
    ``constants.Scale`` or an expression such as ``"2*n_L"``) declares a cost convention: the gradients are
    divided by it before they are compared. A candidate that is right up to such a constant on every case is
    reported so (``Report.constant``). ``pieces`` (``parts.Pieces``: a backend's public forward, sigmoid and
    accuracy, called in this process) are checked on every case too: the built-in suite passes manual's.
    ``diagnose=False``: verdicts only, the first failure as drawn (no shrinking, search or probes).
    """
    convention = _convention(layout, form, scale, strict_dtype)
    if cases is None:
        cases = draw_cases(examples, seed)
        if convention.layout.one_example:
            cases = [dataclasses.replace(c, batch=0) for c in cases]
    start = time.perf_counter()
    report = Report(name)
    results: list[Result] = []
    keeper = Keeper()
    with _interrupt_ends(report):
        for chunk_results in iter_cases(grad, cases, cost, convention=convention, pieces=pieces):
            results += [r if keeper.keep(r.failure) else
                        r._replace(failure=dataclasses.replace(r.failure, arrays=(), beside=None))
                        for r in chunk_results]
            if progress:
                progress(len(results), len(cases))
    _tally(report, results)
    if report.first is not None and not diagnose:           # verdicts only: the first failure as drawn
        report.shrunk, report.failures_by_kind = report.first, by_kind([r.failure for r in results if r.failure])
    elif report.first is not None:
        _explain_into(report, grad, cost, cases[:len(results)], results, convention, shrink_failure)
    if report.first is not None and reproduce:
        report.reproduce = reproduce(report.shrunk.case)
    report.seconds = time.perf_counter() - start
    return report


def _convention(layout: layouts.Layout | str, form: forms.Form, scale: constants.Scale | str | None,
                strict_dtype: bool) -> Convention:
    """check_grad's options as a ``Convention``: a layout preset's name and a scale expression read."""
    if isinstance(layout, str):
        if layout not in layouts.PRESETS:
            raise ValueError(f"layout must be a Layout or one of the presets {', '.join(layouts.PRESETS)}, "
                             f"got {layout!r}")
        layout = layouts.PRESETS[layout]
    if isinstance(scale, str):
        scale = constants.parse_scale(scale)
    return Convention(layout, form, scale, strict_dtype)


@contextlib.contextmanager
def _interrupt_ends(report: Report):
    """A Ctrl-C inside ends this part of the run: the report is marked interrupted and covers what was done."""
    try:
        yield
    except KeyboardInterrupt:
        report.interrupted = True
        interrupts.handled()


def _tally(report: Report, results: list[Result]) -> None:
    """Counts, the first failure, the wider-dtype notes and each dtype's worst agreeing case, into ``report``."""
    report.cases = len(results)
    for r in results:
        if r.wider is not None:
            key = f"{r.case.dtype} -> {r.wider}"
            report.wider[key] = report.wider.get(key, 0) + 1
        if r.failure is not None:
            report.failed += 1
            if report.first is None:
                report.first = r.failure
        elif r.worst >= report.worst_ratio.get(r.case.dtype, -1.0):
            report.worst_ratio[r.case.dtype], report.worst_case[r.case.dtype] = r.worst, r.case


def _params_arranged_line(failures: list[Failure], results: list[Result], convention: Convention) -> str | None:
    """Where every case raised under a --grads arrangement other than pairs, of a function handed ``params``: the
    line that says params comes in that arrangement too (a function that unpacks (W, b) pairs raises on it)."""
    layout, form = convention.layout, convention.form
    if layout.grads == "pairs" or layout.weights_only or form.kind != forms.FUNCTION and not form.call or \
            len(failures) < len(results) or any(f.kind != RAISED for f in failures):
        return None
    return (f"under {layout.option('grads')} the parameters come in arranged so too, as the gradients go out (a "
            "function's params, and --call's): code that unpacks (W, b) pairs raises on them")


def _explain_into(report: Report, grad: GradFn, cost: GradFn | None, cases: list[Case], results: list[Result],
                  convention: Convention, shrink_failure: bool) -> None:
    """The failures explained (``explain``: by kind, the leading one shrunk and diagnosed), then the evidence for
    an option: a layout under which the structural failures agree, or a constant under which the values do."""
    failures = [r.failure for r in results if r.failure is not None]
    report.failing_features = feature_counts(results)
    unsteady = None if report.interrupted else _unsteady(grad, failures, convention)
    if unsteady:                   # no mistake is reproduced from the inputs of code that is not a function of them
        report.first = report.shrunk = failures[0]
        report.diagnosis, report.mistakes, report.failures_by_kind = [unsteady], (), by_kind(failures)
        return
    shrink_cost = cost if convention.plain and not convention.strict_dtype else None   # shrunk on the gradient
    e = None
    with _interrupt_ends(report):
        e = explain(grad, failures, report.failing_features, report.cases, shrink_cost,
                    shrink_failure and not report.interrupted, convention, drawn_space(cases))
    if e is None:
        e = explain(grad, failures, report.failing_features, report.cases, shrink_cost, False, convention)
    report.first, report.shrunk, report.diagnosis, report.mistakes = e.first, e.shrunk, e.lines, e.keys
    batch = batch_crash_line(results, convention.layout.batches_only)
    crash = batch or crash_sizes_line(results)
    report.diagnosis = [*report.diagnosis, *other_crashes(failures, e.shrunk or e.first),
                        *filter(None, [crash, _params_arranged_line(failures, results, convention)])]
    report.diagnosis = batch_crash_first(report.diagnosis, batch, results, convention.layout.batches_only)
    report.failures_by_kind, report.normwise = e.by_kind, e.normwise
    if report.interrupted or one_dtype_agrees(results):    # a layout is the same in both dtypes
        pass
    elif report.first.kind != VALUE:
        with _interrupt_ends(report):
            report.layout_fix = _probe_layouts(grad, failures, convention)
    elif not report.mistakes:
        with _interrupt_ends(report):
            report.layout_fix = _probe_bias_forms(grad, failures, convention)
    if report.layout_fix is not None:
        report.diagnosis = [report.layout_fix.line("case"), *report.diagnosis]
    if convention.scale is None and not report.interrupted and report.first.kind == VALUE:
        with _interrupt_ends(report):
            report.constant = _constant(grad, cases, results, convention)
        if report.constant is not None:
            report.diagnosis = as_constant(report.diagnosis, report.mistakes, report.constant.expr())


def check_file(spec: str, cases: list[Case] | None = None, *, memory_limit: int | None = None,
               **kwargs) -> Report:
    """``check_grad`` for the candidate ``spec`` names (``FILE.py``, ``FILE.py:NAME`` or
    ``FILE.py:Class.method``, as ``load.load_target`` reads it) and the file's ``cost`` if it defines one, run in
    a worker process of its own (``process.Isolated``), as ``python -m compare --candidate`` does: nothing the
    file does can change the verdict. CandidateError when it cannot be used. Other keywords (``layout``,
    ``scale``, ``strict_dtype``, ...) go to ``check_grad``.
    """
    from ..sandbox.process import Isolated

    target = Isolated(spec, memory_limit=memory_limit)
    try:
        return check_grad(target, cases, cost=target.cost if target.has_cost else None,
                          **{"name": spec, "form": target.form, **kwargs})
    finally:
        target.close()


def assert_grad_matches(grad, cases: list[Case] | None = None, **kwargs) -> None:
    """Raise AssertionError with the full report unless ``grad`` agrees with ``jax.grad`` on ``cases``
    (a list of ``Case``; default: ``check_grad``'s random cases). Keyword arguments go to ``check_grad``.
    """
    from ..report.report import format_report

    report = check_grad(grad, cases, **kwargs)
    if not report.ok:
        raise AssertionError("\n" + format_report(report))
