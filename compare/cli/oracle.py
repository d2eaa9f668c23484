"""``python -m compare`` itself: the default suite, ``--candidate``, ``--case``, ``--controls``, ``--self-check``.

Exit codes: 0 every case agrees; 1 a disagreement (a candidate that raises, hangs past ``--time-limit``, calls
``sys.exit`` or changes NumPy's error state fails its case); 2 a usage error (one line on stderr, no traceback);
130 interrupted (Ctrl-C; a --candidate raising KeyboardInterrupt in its worker is a failure of its case, exit 1):
the cases checked so far are summarised.

Every value is checked against its bound before any work (``args``; ``options.check_bounds`` for what depends on
several options: a case holds at most 2^28 numbers, a network at most ``args.MAX_DEPTH`` layers). ``--json PATH``
is checked before the run (an existing, writable folder); a write that fails after it (a full disk) is one error
line with exit 2 that still gives the run's verdict. File names are printed through ``args.shown``; the JSON
report keeps them as they are (JSON escapes them itself).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import time
import types
from typing import NamedTuple

from compare.oracle.cases.limits import MAX_ELEMENTS

from . import args as cli
from . import options
from .args import Parser, UsageError, check_writable, positive_float
from .options import PROFILES
from .progress import MODES as PROGRESS_MODES

TRAINERS = {"manual.train": 1, "autodiff.train": 20}   # train functions checked, and their share of the cases: 1/N
BUDGET_PILOT = 40          # --budget: cases of the pilot run that measures the candidate's speed
CONTROL_CASES, SELF_CHECK_CASES = 400, 200


def _subcommands() -> str:
    """The subcommands ``compare.cli`` dispatches, for the help text (one list, so none is left out)."""
    from compare.cli import SUBCOMMANDS

    return ", ".join(SUBCOMMANDS)


def _parser() -> Parser:
    p = Parser(prog="python -m compare", description=(
        "Check backprop against jax.grad on random architectures, element by element, with per-element "
        "rounding-error tolerances. Without options: manual.grad (with its cost, forward, sigmoid and "
        "accuracy), manual.backprop and manual.train, float64 and float32. "
        f"Subcommands: {_subcommands()} (python -m compare SUB --help)."))
    p.add_argument("--examples", type=int, help="random cases per checked function (default: the profile's)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random cases (default 0)")
    p.add_argument("--dtype", choices=["float64", "float32", "both"], default="both")
    p.add_argument("--profile", choices=sorted(PROFILES), default="fast",
                   help=f"fast: {PROFILES['fast']} cases per function; thorough: {PROFILES['thorough']}")
    p.add_argument("--json", nargs="?", const="-", metavar="PATH",
                   help="write the report as JSON to PATH (or stdout with no PATH) instead of text; PATH must be in "
                        "an existing folder; if writing it fails after the run: one error line, exit 2")
    p.add_argument("--candidate", metavar="FILE.py[:NAME]",
                   help="check the grad(params, x, y) defined in this file (and its cost, if any), run in a "
                        "process of its own; FILE.py:NAME a function NAME(params, x, y), FILE.py:Class.method "
                        "obj.method(x, y) on Class(sizes)")
    p.add_argument("--step", metavar="FILE.py[:NAME]",
                   help="check a gradient-descent step step(params, x, y, eta) (returning the new parameters or "
                        "updating them in place) against W - eta * grad W")
    p.add_argument("--epoch", metavar="FILE.py[:NAME]",
                   help="check an epoch of mini-batches: epoch(params, X, Y, eta, batch_size), or with --preset "
                        "nielsen Network.update_mini_batch(mini_batch, eta), against the seed's steps")
    p.add_argument("--eta", type=cli.float_up_to(cli.MAX_ETA),
                   help=f"the learning rate of --step/--epoch, > 0 and <= {cli.MAX_ETA:,.0f} (default: drawn per case)")
    p.add_argument("--mini-batch", type=cli.int_between(1, MAX_ELEMENTS), metavar="K",
                   help="the mini-batch size of --epoch (default: drawn per epoch, 1..m-1; needed with --case)")
    _layout_options(p)
    p.add_argument("--only", choices=["manual.grad", "manual.backprop", *TRAINERS],
                   help="check only this built-in function (X.train: batch steps and SGD and mini-batch epochs; "
                        "with --case, --eta and, for an epoch, --mini-batch K as its report prints them); "
                        "autodiff.train, its independent peer, is checked only when asked (it compiles per shape: "
                        "a twentieth as many cases)")
    p.add_argument("--case", metavar="SPEC", help="check one case, e.g. 'sizes=3-1-2 batch=4 scale=1.5 "
                                                  "dtype=float64 seed=7' (as printed by a report)")
    p.add_argument("--controls", action="store_true", help="run the shipped right and wrong controls: a kill table")
    p.add_argument("--self-check", action="store_true",
                   help="check autodiff itself against complex-step differentiation (no JAX) on small nets")
    p.add_argument("--extremes", action=argparse.BooleanOptionalAction, default=None,
                   help="make a tenth of the cases extreme: values at the ends of the dtype's range, subnormals, "
                        "|y| up to the largest float, z beyond range (default: on for manual.*, off for "
                        "--candidate); gradients only: --step and --epoch draw ordinary cases, saturating ones "
                        "among them")
    p.add_argument("--no-shrink", action="store_true", help="report the first failing case as drawn")
    p.add_argument("--no-diagnosis", action="store_true",
                   help="verdicts only: the first failing case of each check as drawn, with no search for the "
                        "mistakes behind it (what the mutation benchmark reads: the exit status)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="wall-clock limit on each call of the checked function; a call that takes longer fails "
                        "its case (default 10; once 3 of its last 8 calls were lost it is no longer waited for)")
    p.add_argument("--budget", type=_seconds, metavar="SECONDS",
                   help="with --candidate: fit the run to about this many seconds (60 or 60s): a pilot of "
                        f"{BUDGET_PILOT} cases spread over the draw measures the candidate's speed, then an even "
                        "sample of the drawn cases that fits is checked, and the report says how many (gradients "
                        "only: --step and --epoch refuse it)")
    p.add_argument("--import-time-limit", type=positive_float, metavar="SECONDS",
                   help="wall-clock limit on importing the candidate in its process (default 120); a file that takes "
                        "longer is refused")
    p.add_argument("--memory-limit", type=cli.float_up_to(cli.MAX_MEMORY_GB), metavar="GB",
                   help="address-space limit of the candidate's process, in GiB (default: half of this machine's "
                        "memory)")
    p.add_argument("--progress", choices=PROGRESS_MODES, default="auto",
                   help="auto: a bar on a terminal (default); lines: a plain line 'progress: NAME DONE/TOTAL' on "
                        "stderr at the first count, then each second, terminal or not; off: none")
    return p


def _layout_options(p: Parser) -> None:
    """The candidate's conventions: layout, cost constant, dtype strictness, sizes."""
    from compare.oracle.sandbox.layouts import CHOICES, PRESETS

    def words(field):
        return [c.replace("_", "-") for c in CHOICES[field]]

    p.add_argument("--preset", choices=sorted(PRESETS),
                   help="a known code's conventions: nielsen = his network.py (Network(sizes).backprop(x, y) on one "
                        "column example, returning (nabla_b, nabla_w)); implies FILE.py:Network.backprop")
    p.add_argument("--weights", choices=words("weights"), help="W as (n_l, n_(l-1)) (out-in, default) or transposed")
    p.add_argument("--biases", choices=words("biases"),
                   help="b as (n_l,) (flat, default), (n_l, 1) or (1, n_l); or folded into W as its first column, "
                        "[b W] (folded-first), or its last, [W b] (folded-last): params in and gradients out are "
                        "then one list of these matrices; or none: a network without biases, params in and "
                        "gradients out one list of W (the cases have b = 0)")
    p.add_argument("--no-bias-in", metavar="LAYERS",
                   help="the layers that have no bias (code that appends a bias unit to some layers' inputs "
                        "only, or never reads a layer's bias): layer numbers 1..L, negative from the output, or "
                        "output / hidden / above-first (every layer but layer 1: a bias unit on the input alone), "
                        "comma-separated, e.g. output; b = 0 there and not compared, a folded layout's W bare, "
                        "(n_l, n_(l-1))")
    p.add_argument("--data", choices=words("examples"),
                   help="examples as rows, X (m, n_0) and x (n_0,) (default), as columns, X (n_0, m) and x "
                        "(n_0, 1), as rows always, one example x (1, n_0) and y (1, n_L) too (rows-2d), or each "
                        "a column, x (n_0, 1), a batch a stack of them, X (m, n_0, 1) and Y (m, n_L, 1) "
                        "(stacked-columns: code that loops over X[i] and computes in columns)")
    p.add_argument("--grads", choices=words("grads"),
                   help="params in and gradients out as [(W, b), ...] (pairs, default), [(b, W), ...], "
                        "([W...], [b...]) (lists), ([b...], [W...]) (lists-bW), or one flat sequence [W1, b1, W2, "
                        "b2, ...] (flat: return dW1, db1, dW2, db2), [b1, W1, ...] (flat-bW) or [W1, W2, ..., "
                        "b1, b2, ...] (flat-Ws-bs: return dW1, dW2, db1, db2)")
    p.add_argument("--grads-reversed", action="store_true",
                   help="the gradients come back output layer first (the parameters still go in layer 1 first)")
    p.add_argument("--lists", action="store_true",
                   help="the gradients may come back as plain nested Python lists, read as arrays")
    p.add_argument("--one-example", action="store_true", help="the candidate takes one example per call")
    p.add_argument("--negated-bias", action="store_true",
                   help="the candidate subtracts its bias, z = W a - B (or feeds its bias unit -1): it is handed "
                        "B = -b, and its B or gradient is negated back")
    p.add_argument("--batches-only", action="store_true",
                   help="the candidate cannot take one example: only batches are sent (a case drawn as one "
                        "example goes as a batch of 1), and the report says so")
    p.add_argument("--make", metavar="EXPR",
                   help="with FILE.py:Class.method: build the object with this expression in the file's names and "
                        "sizes (the layer sizes [n_0, ..., n_L]) instead of Class(sizes), e.g. 'Net(sizes, seed=0)' "
                        "or 'make_network(sizes)'; its weights and biases are then set as usual; for --step and "
                        "--epoch it may take the rate, 'Net(sizes, lr=eta)': the method is then called without it")
    p.add_argument("--call", metavar="EXPR",
                   help="how to call the candidate, an expression calling f (the function, or the object's method) "
                        "with x, y, params (a function's), and for --step/--epoch eta, k (the mini-batch size) and "
                        "pairs (the mini-batch as (x, y) pairs), e.g. 'f(x, y, learn_rate=eta, epochs=1)'")
    p.add_argument("--attributes", metavar="WEIGHTS,BIASES",
                   help="with FILE.py:Class.method: where the object keeps W and b (default weights,biases): lists "
                        "(W,b), one attribute per layer (W1+W2,b1+b2: fixes the depth), or an attribute of each "
                        "item of a list (layers[].W,layers[].b; a slice of it, layers[1:].W, every other item "
                        "layers[::2].W); the weights alone where --biases is none or folded")
    p.add_argument("--scale", metavar="EXPR", help="the candidate's gradient is EXPR times the seed's (its cost "
                                                   "convention), e.g. 2*n_L or n_L*m (n_0, the input width, for a "
                                                   "loss divided by x.size): compare after dividing by it")
    p.add_argument("--strict-dtype", action="store_true",
                   help="a gradient in a wider float than the network's (float64 for float32) fails")
    p.add_argument("--sizes", metavar="N0-N1-...",
                   help="check only this architecture, any widths, e.g. 784-30-10; a * width is drawn per case "
                   "(*-4-3-1: depth 3, the input width free)")
    p.add_argument("--depth", type=cli.int_between(1, cli.MAX_DEPTH),
                   help=f"check only networks of this many layers L (1 to {cli.MAX_DEPTH})")
    p.add_argument("--min-depth", type=cli.int_between(1, cli.MAX_DEPTH),
                   help="check only networks of at least this many layers L, the depth otherwise drawn (a code that "
                        "needs a hidden layer: --min-depth 2)")
    p.add_argument("--batch", type=cli.int_between(0, MAX_ELEMENTS),
                   help="check only this batch size m (0: one example x (n_0,)), any size that keeps a case within "
                        f"{MAX_ELEMENTS:,} (2^28) numbers")


class Target(NamedTuple):
    """One thing the run checks: its name, grad and cost (or None), whether it takes one example only, the
    reproduce line's prefix, how it is called, and for the project's own backend its public ``forward``,
    ``sigmoid`` and ``accuracy``, checked too (``parts.Pieces``)."""

    name: str
    grad: object
    cost: object
    single_only: bool
    prefix: str
    form: object
    backend: object = None


def _targets(args) -> list[Target]:
    """What to check: the candidate, or manual's grad (with its cost, forward and sigmoid) and backprop, whose
    RuntimeWarnings are errors (a warning from the project's own code is a bug; a candidate's is only shown)."""
    from compare.oracle.sandbox.forms import GRAD

    if args.candidate:
        from compare.oracle.sandbox.load import split_spec

        spec = args.candidate
        if args.preset == "nielsen" and split_spec(spec)[1] is None:
            spec += ":Network.backprop"
        target = options.start(args, spec)
        try:
            form = options.built_form(args, target.form)
        except UsageError:
            target.close()
            raise
        cost = target.cost if target.has_cost else None
        prefix = "python -m compare --candidate " + " ".join(options.candidate_words(args))
        return [Target(args.candidate, target, cost, False, prefix, form)]
    import manual
    from compare.oracle.sandbox.isolation import warnings_raised as strict
    from compare.oracle.verdict.parts import Pieces

    backend = Pieces(strict(manual.forward), strict(manual.sigmoid), strict(manual.accuracy))
    targets = [Target("manual.grad", strict(manual.grad), strict(manual.cost), False,
                      "python -m compare --only manual.grad", GRAD, backend),
               Target("manual.backprop", strict(manual.backprop), None, True,
                      "python -m compare --only manual.backprop", GRAD)]
    return [t for t in targets if args.only in (None, t.name)]


def _batches(cases: list) -> tuple[list, int]:
    """``cases`` with every one-example case made a batch of 1 (the same example, so the same gradient), and how
    many were: what a ``--batches-only`` candidate is sent."""
    batched = [dataclasses.replace(c, batch=1) if c.batch == 0 else c for c in cases]
    return batched, sum(c.batch == 0 for c in cases)


def _seconds(text: str) -> float:
    """``--budget``: seconds, as ``60`` or ``60s``."""
    return positive_float(text[:-1] if text.endswith("s") else text)


class Budgeted(NamedTuple):
    """What ``--budget`` chose: the cases to check (the pilot's first), how many were drawn, and the pilot's
    report when it already failed (then it is the run's report)."""

    cases: list
    drawn: int
    per_case: float
    failed_pilot: object | None


def _budgeted(check, cases: list, budget: float, start: float) -> Budgeted:
    """An even sample of ``cases`` that fits ``budget`` seconds from ``start``: ``check(cases)`` (a report) runs on
    ``BUDGET_PILOT`` cases spread over the draw, in two halves; the second's time per case (the reference's
    compiles are mostly done by then) sizes the rest; every drawn case when they all fit."""

    step = max(1, len(cases) // BUDGET_PILOT)
    pilot_at = list(range(0, len(cases), step))[:BUDGET_PILOT]
    per_case = 0.0
    for part in [p for p in (pilot_at[::2], pilot_at[1::2]) if p]:    # the last half's time counts
        pilot = check([cases[i] for i in part])
        per_case = pilot.seconds / len(part)
        if not pilot.ok:
            return Budgeted([cases[i] for i in part], len(cases), per_case, pilot)
    rest = [i for i in range(len(cases)) if i not in set(pilot_at)]
    room = int((budget - (time.perf_counter() - start)) / max(per_case, 1e-9)) - len(pilot_at)   # pilot run again
    if room < len(rest):
        rest = [rest[int(j * len(rest) / room)] for j in range(room)] if room > 0 else []
    return Budgeted([cases[i] for i in pilot_at] + [cases[i] for i in rest], len(cases), per_case, None)


def run(args) -> int:
    """The default suite or ``--candidate``: the reports, then one summary line; the exit status."""
    from compare.oracle.verdict.constants import parse_scale

    if args.json not in (None, "-"):
        check_writable(args.json, "--json")
    layout = options.layout(args)
    try:
        scale = parse_scale(args.scale) if args.scale is not None else None
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.budget is not None and not args.candidate:
        raise UsageError("--budget sizes a --candidate's run to its speed; the built-in suite has its own size")
    if args.only in TRAINERS and args.case and args.eta is None:
        raise UsageError(f"--only {args.only} --case needs --eta (and --mini-batch K for an epoch), as its report "
                         "prints them")
    targets = _targets(args)
    try:
        return _run(args, targets, layout, scale)
    finally:
        for t in targets:
            if hasattr(t.grad, "close"):
                t.grad.close()


def _run(args, targets, layout, scale) -> int:
    from compare.oracle.checks.check import check_grad
    from compare.oracle.checks.inputs import probe_report_dict
    from compare.oracle.report.report import format_report, to_json
    from compare.oracle.report.stepreport import step_report_dict
    from compare.oracle.sandbox import isolation

    from .progress import Progress

    start = time.perf_counter()
    reports, notes = [], []
    for t in targets:
        cases = options.cases(args, t.single_only or layout.one_example)
        batched = 0
        if layout.batches_only:
            cases, batched = _batches(cases)
        isolation.reset()
        name = t.name if args.json is not None else cli.shown(t.name)      # JSON escapes the name itself

        def check(cases, bar=None, t=t, name=name):
            return check_grad(t.grad, cases, name=name, cost=t.cost, shrink_failure=not args.no_shrink,
                              diagnose=not args.no_diagnosis,
                              progress=bar.counted if bar else None, layout=layout, form=t.form,
                              reproduce=lambda c, p=t.prefix: f"{p} --case '{c.spec()}'",
                              strict_dtype=args.strict_dtype, scale=scale, pieces=t.backend)

        budgeted = _budgeted(check, cases, args.budget, start) if args.budget is not None and not args.case else None
        if budgeted is not None and budgeted.failed_pilot is not None:
            report = budgeted.failed_pilot
        else:
            cases = budgeted.cases if budgeted is not None else cases
            bar = Progress(len(cases), t.name, mode=args.progress)
            report = check(cases, bar)
            bar.close()
        reports.append(report)
        note = isolation.printed.note()
        printed = isolation.printed
        notes.append({"name": t.name, "printed_chars": printed.chars, "printing_calls": printed.calls})
        if hasattr(t.grad, "protection"):       # a worker-process candidate: what protected the run
            notes[-1]["sandbox"] = t.grad.protection
            note = f"sandbox: {t.grad.protection}" + (f"\n  {note}" if note else "")
        if budgeted is not None:
            notes[-1]["budget"] = {"seconds": args.budget, "drawn": budgeted.drawn, "checked": report.cases,
                                   "pilot_seconds_per_case": budgeted.per_case}
            note = (f"budget (--budget {args.budget:g}): {report.cases} of the {budgeted.drawn} drawn cases, "
                    + ("the pilot's, which already disagree" if budgeted.failed_pilot is not None else
                       "an even sample of the draw" if report.cases < budgeted.drawn else "every one")
                    + f" (the pilot took {budgeted.per_case:.3g} s a case)") + (f"\n  {note}" if note else "")
        if layout.batches_only:
            notes[-1]["batches_only"] = batched
            note = (f"batches only (--batches-only): the candidate got no 1-D example; a case of one example "
                    f"(batch=0, drawn or shrunk) went to it as a batch of 1, the same example ({batched} of the "
                    "drawn cases)") + (f"\n  {note}" if note else "")
        example = None if layout.batches_only else options.example_note(layout, report.ok)
        note = f"{note}\n  {example}" if note and example else note or example
        hint = (options.attributes_note(args.candidate, t.form, not layout.weights_only) if args.candidate
                and not report.ok else None)
        note = f"{note}\n  {hint}" if note and hint else note or hint
        if args.json is None:
            print(format_report(report) + (f"\n  {note}" if note else ""), flush=True)
        if report.interrupted:
            break
    stopped = any(r.interrupted for r in reports)
    needed = not stopped and not args.candidate and args.only in (None, *TRAINERS)
    ordinary = _ordinary_cases(args) if needed else []
    probes = [] if stopped else _input_forms(args, ordinary)
    steps = [] if stopped else _train(args, ordinary)
    reports_all = [*reports, *probes, *steps]
    total = sum(r.cases for r in reports)
    elapsed = time.perf_counter() - start
    verdict = ("interrupted" if any(r.interrupted for r in reports_all) and all(r.failed == 0 for r in reports_all)
               else "all agree" if reports_all and all(r.ok for r in reports_all) else "DISAGREEMENT")
    status = (130 if any(r.interrupted for r in reports_all) else 0 if reports_all and all(r.ok for r in reports_all)
              else 1)
    others = [probe_report_dict(r) for r in probes] + [step_report_dict(r) for r in steps]
    if args.json is None:
        counts = ([f"{total} cases"] if reports else []) + ([f"{sum(r.cases for r in probes)} input-form calls"]
                                                             if probes else []) + (
            [f"{sum(r.cases for r in steps)} training steps"] if steps else [])
        rate = f" ({total / max(elapsed, 1e-9):,.0f} cases/s)" if reports else ""
        said = ", ".join(counts[:-1]) + " and " + counts[-1] if len(counts) > 1 else "".join(counts) or "nothing"
        print(f"{said} in {elapsed:.2f} s{rate}; {verdict}")
    elif args.json == "-":
        print(to_json(reports, others, seconds=elapsed, candidate_output=notes))
    else:
        cli.write_output(args.json, to_json(reports, others, seconds=elapsed, candidate_output=notes) + "\n", "--json",
                         f"{verdict} (exit status {status})")
    return status


def _ordinary_cases(args) -> list:
    """The run's cases without extreme ones: what the input forms and ``train`` are checked on."""
    return options.cases(argparse.Namespace(**{**vars(args), "extremes": False}), False)


def _input_forms(args, drawn: list) -> list:
    """The default suite's ``manual (input forms)`` report (``checks.inputs``), on four one-example and four batch
    cases of ``drawn`` (``_ordinary_cases``); none for ``--candidate``, ``--only`` or ``--case``."""
    if args.candidate or args.only or args.case:
        return []
    import manual
    from compare.oracle.checks.inputs import check_input_forms, format_probe_report
    from compare.oracle.sandbox.isolation import warnings_raised as strict

    backend = types.SimpleNamespace(**{f: strict(getattr(manual, f))
                                       for f in ("sigmoid", "forward", "cost", "grad", "backprop")})
    cases = [c for c in drawn if c.batch == 0][:4] + [c for c in drawn if c.batch > 0][:4]
    report = check_input_forms(backend, cases, name="manual (input forms)")
    if args.json is None:
        print(format_probe_report(report), flush=True)
    return [report]


def _train(args, ordinary: list) -> list:
    """The ``train`` reports (``checks.training``): ``manual.train`` in the default suite, ``autodiff.train`` with
    ``--only``; batch steps on half the ``ordinary`` cases and SGD and mini-batch epochs on a tenth (divided
    by the backend's share in ``TRAINERS``); with ``--case``, that one step or epoch. Printed as they finish; none
    for ``--candidate`` or another ``--only``."""
    name = "manual.train" if args.only is None else args.only
    if args.candidate or name not in TRAINERS:
        return []
    import importlib

    from compare.oracle.checks.epoch import EpochCase, draw_epochs
    from compare.oracle.checks.training import check_train
    from compare.oracle.report.stepreport import format_step_report
    from compare.oracle.sandbox import isolation

    from .progress import Progress

    train = importlib.import_module(name.split(".")[0]).train
    n = len(ordinary) // TRAINERS[name]
    if args.case:
        epochs = [EpochCase(ordinary[0], args.eta, args.mini_batch)] if args.mini_batch else []
        steps, etas = ([] if args.mini_batch else ordinary), [args.eta]
    else:
        steps, etas, epochs = ordinary[:max(n // 2, 1)], None, draw_epochs(max(n // 10, 1), args.seed, ordinary)

    def reproduce(option, case, eta, k):
        return (f"python -m compare --only {name} --case '{case.spec()}' --eta {eta!r}"
                + (f" --mini-batch {k}" if option == "epoch" else ""))

    isolation.reset()
    bar = Progress(len(steps) + len(epochs), name, mode=args.progress)
    reports = check_train(isolation.warnings_raised(train), steps, epochs, name=name, etas=etas,
                          reproduce=reproduce, progress=bar.counted, diagnose=not args.no_diagnosis)
    bar.close()
    if args.json is None:
        for r in reports:
            print(format_step_report(r), flush=True)
    return reports


def controls(args) -> int:
    """``--controls``: the kill table; 0 when every wrong control is caught and every right one passes."""
    from compare.controls.table import format_table, run_controls

    n = args.examples if args.examples is not None else CONTROL_CASES
    start = time.perf_counter()
    rows = run_controls(n, args.seed)
    print(format_table(rows))
    print(f"{len(rows)} controls x {n} cases in {time.perf_counter() - start:.1f} s")
    from compare.controls.steps.table import format_step_table, run_step_controls

    start = time.perf_counter()
    step_rows = run_step_controls(n, args.seed)
    print(format_step_table(step_rows))
    print(f"{len(step_rows)} step controls x {n} cases in {time.perf_counter() - start:.1f} s")
    return 0 if all(r.ok for r in rows) and all(r.ok for r in step_rows) else 1


def self_check(args) -> int:
    """``--self-check``: jax.grad against complex-step derivatives; 0 when all agree."""
    from compare.oracle.reference.selfcheck import self_check as check

    start = time.perf_counter()
    r = check(args.examples if args.examples is not None else SELF_CHECK_CASES, args.seed)
    for line in r.disagreements:
        print(line)
    per_dtype = ", ".join(f"{dt} {r.worst[dt]:.3g} ({r.cases[dt]} cases)" for dt in r.cases)
    print(f"self-check: jax.grad (the engine on every case, autodiff.grad on {r.autodiff_cases} per dtype) vs "
          f"complex step, {r.elements:,} elements of cases drawn as the oracle draws them: "
          f"{'all agree' if not r.failed else f'{r.failed} arrays DISAGREE'}; worst |difference| / tolerance "
          f"{per_dtype}; {time.perf_counter() - start:.1f} s")
    return 0 if not r.failed else 1


@contextlib.contextmanager
def _time_limit(args):
    """``--time-limit`` as ``isolation.CALL_TIME_LIMIT`` for the run, put back after it (left at its default when
    the option is not given): a caller of ``main`` in its own process keeps its own limit."""
    if args.time_limit is None:
        yield
        return
    from compare.oracle.sandbox import isolation

    if not 0 < args.time_limit <= isolation.MAX_TIME_LIMIT:
        raise UsageError(f"--time-limit must be > 0 and <= {isolation.MAX_TIME_LIMIT:g} seconds, "
                         f"got {args.time_limit:g}")
    before, isolation.CALL_TIME_LIMIT = isolation.CALL_TIME_LIMIT, args.time_limit
    try:
        yield
    finally:
        isolation.CALL_TIME_LIMIT = before


def _check_counts(args) -> None:
    """The options every mode shares: a run must check at least one case, from a seed in [0, 2^64)."""
    if args.examples is not None and not 1 <= args.examples <= 10_000_000:
        raise UsageError(f"--examples must be between 1 and 10000000, got {args.examples}")
    if not 0 <= args.seed <= cli.MAX_SEED:
        raise UsageError(f"--seed must be >= 0 and < 2^64, got {args.seed}")


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
        _check_counts(args)
        with _time_limit(args):
            options.check_bounds(args)
            if args.controls:
                return controls(args)
            if args.self_check:
                return self_check(args)
            if args.step or args.epoch:
                from .step import run_step

                return run_step(args, PROFILES[args.profile])
            return run(args)
    except UsageError as e:
        return cli.usage_error("python -m compare", e)
    except KeyboardInterrupt:  # outside a check (importing, shrinking, printing): no summary to give
        print("python -m compare: interrupted", file=sys.stderr)
        return 130
