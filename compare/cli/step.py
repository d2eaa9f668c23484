"""``python -m compare --step FILE.py[:NAME]`` and ``--epoch FILE.py[:NAME]``: a gradient-descent step, or an
epoch of mini-batches, against W - eta * grad W (``compare.oracle.checks.stepcheck``, ``compare.oracle.checks.epoch``).

The options are bounded by the parser (``--eta`` in (0, 10^6], ``--mini-batch`` 1..2^28) and ``oracle``'s
checks; the file's name is printed through ``args.shown``; ``--json PATH`` as for gradients (``oracle``)."""

from __future__ import annotations

import json
import time

from compare.oracle.cases.cases import one_example_as_batch

from . import options
from .args import UsageError, check_writable, shown, write_output


def _load(args, spec: str, default: str):
    """The candidate started in its worker process (``options.start``), and how its name is called."""
    from compare.oracle.sandbox.forms import FUNCTION, Form
    from compare.oracle.sandbox.load import split_spec

    if split_spec(spec)[1] is None:
        spec += ":" + default
    t = options.start(args, spec)
    try:
        form = options.built_form(args, t.form, spec)      # --make, --attributes: objects only (else refused)
        return t, form if form.kind != FUNCTION else Form(FUNCTION, form.name, call=form.call)
    except UsageError:
        t.close()
        raise


def _name(args, spec: str) -> str:
    """The report's name for the file ``spec``: escaped for text (``shown``), as it is for JSON (which escapes
    it itself)."""
    return spec if args.json is not None else shown(spec)


def _words(args, option: str, spec: str) -> str:
    saved, args.candidate = args.candidate, spec
    try:
        return f"python -m compare --{option} " + " ".join(options.candidate_words(args))
    finally:
        args.candidate = saved


def run_step(args, default_examples: int) -> int:
    """``--step`` / ``--epoch``: exit 0 when every step agrees (and some moved), 1 otherwise, 130 interrupted.
    ``default_examples``: the profile's number of cases (an epoch run checks a fifth as many epochs)."""
    from compare.oracle.sandbox import isolation

    if args.examples is not None and not 1 <= args.examples <= 10_000_000:
        raise UsageError(f"--examples must be between 1 and 10000000, got {args.examples}")
    if args.json not in (None, "-"):
        check_writable(args.json, "--json")
    if getattr(args, "budget", None) is not None:
        raise UsageError("--budget sizes a --candidate's run to its speed; for a slow --step or --epoch give fewer "
                         "cases and more time a call, e.g. --examples 100 --time-limit 60")
    if args.step and args.mini_batch is not None:
        raise UsageError("--mini-batch is the mini-batch size of --epoch; a --step is handed one mini-batch, x and y")
    scale = None
    if args.scale is not None:
        from compare.oracle.verdict.constants import parse_scale

        try:
            scale = parse_scale(args.scale)
        except ValueError as e:
            raise UsageError(str(e)) from None
    isolation.reset()
    start_time = time.perf_counter()
    spec, default = (args.step, "step") if args.step else (
        args.epoch, "Network.update_mini_batch" if args.preset == "nielsen" else "epoch")
    layout = options.layout(args)
    with one_example_as_batch(layout.batches_only):
        return _run_step(args, default_examples, spec, default, layout, scale, start_time)


def _run_step(args, default_examples: int, spec: str, default: str, layout, scale, start_time: float) -> int:
    """``run_step``'s run and report, once its options are read."""
    from compare.oracle.checks.epoch import EpochCase, check_epoch, draw_epochs
    from compare.oracle.checks.stepcheck import check_step
    from compare.oracle.report.stepreport import format_step_report, step_report_dict
    from compare.oracle.sandbox import isolation

    from .progress import Progress

    target, form = _load(args, spec, default)
    try:
        if args.step:
            cases = options.cases(args, layout.one_example)
            etas = [args.eta] * len(cases) if args.eta is not None else None
            prefix = _words(args, "step", args.step)
            bar = Progress(len(cases), args.step, mode=args.progress)
            report = check_step(target, cases, etas, name=_name(args, args.step), layout=layout, form=form,
                                strict_dtype=args.strict_dtype, progress=bar.counted, scale=scale,
                                reproduce=lambda c, eta: f"{prefix} --case '{c.spec()}' --eta {eta!r}",
                                diagnose=not args.no_diagnosis, find_constant=not args.no_diagnosis)
        else:
            if args.case:
                case = options.cases(args, False)[0]
                if args.eta is None or args.mini_batch is None or not 1 <= args.mini_batch:
                    raise UsageError("--epoch with --case needs --eta and --mini-batch K (as the report prints them)")
                if case.batch < 1:
                    raise UsageError("--epoch --case needs a batch of m >= 1 examples (batch=0 is one example "
                                     "x (n_0,), not an epoch)")
                epochs = [EpochCase(case, args.eta, args.mini_batch)]
            else:
                shaped = any(getattr(args, o, None) is not None for o in ("sizes", "depth", "min_depth", "batch")) \
                    or args.dtype != "both"
                n = args.examples if args.examples is not None else default_examples // 5
                epochs = draw_epochs(n, args.seed, options.cases(args, False) if shaped else None,  # --sizes etc.
                                     eta=args.eta, batch_size=args.mini_batch)
            prefix = _words(args, "epoch", args.epoch)
            bar = Progress(len(epochs), args.epoch, mode=args.progress)
            report = check_epoch(target, epochs, name=_name(args, args.epoch), layout=layout, form=form,
                                 strict_dtype=args.strict_dtype, progress=bar.counted, scale=scale,
                                 reproduce=lambda e: f"{prefix} --case '{e.case.spec()}' --eta {e.eta!r} "
                                                     f"--mini-batch {e.batch_size}",
                                 diagnose=not args.no_diagnosis, find_constant=not args.no_diagnosis)
        bar.close()
    finally:
        target.close()
    elapsed = time.perf_counter() - start_time
    if args.json is not None:
        text = json.dumps({"ok": report.ok, "reports": [step_report_dict(report)], "seconds": elapsed,
                           "candidate_output": {"printed_chars": isolation.printed.chars,
                                                "printing_calls": isolation.printed.calls},
                           "sandbox": getattr(target, "protection", None)},
                          indent=2, allow_nan=False, default=str)
        if args.json == "-":
            print(text)
        else:
            status = 130 if report.interrupted else 0 if report.ok else 1
            verdict = "interrupted" if report.interrupted else "all agree" if report.ok else "DISAGREEMENT"
            write_output(args.json, text + "\n", "--json", f"{verdict} (exit status {status})")
    else:
        print(format_step_report(report), flush=True)
        if hasattr(target, "protection"):       # a worker-process candidate: what protected the run
            print(f"  sandbox: {target.protection}")
        for line in _notes(args, report, spec, form, layout):
            print(f"  {line}")
        print(f"{report.cases} {report.form}s in {elapsed:.2f} s; {'all agree' if report.ok else 'DISAGREEMENT'}")
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


def _notes(args, report, spec: str, form, layout) -> list[str]:
    """The lines after a step or epoch report: what the candidate printed, where its object may keep its
    parameters, and how a case of one example went to it (a row, a column, or a batch of one)."""
    from compare.oracle.sandbox import isolation

    one = {"columns": "an (n_0, 1) column", "stacked_columns": "a (1, n_0, 1) stack of one column"}.get(
        layout.examples, "a (1, n_0) row")
    batches = ("batches only (--batches-only): the candidate got no 1-D example; a case of one example (batch=0, "
               f"drawn or shrunk) went to it as a batch of 1, the same example, {one}")
    example = None if layout.batches_only else options.example_note(layout, report.ok)
    hint = None if report.ok else options.attributes_note(spec, form, not layout.weights_only)
    return [line for line in (isolation.printed.note(), hint, example, batches if layout.batches_only and args.step
                              else None) if line]
