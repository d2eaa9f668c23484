"""``python -m compare`` itself: the default suite, ``--candidate``, ``--case``, ``--controls``, ``--self-check``.

Exit codes: 0 every case agrees; 1 a disagreement (a candidate that raises, hangs past ``--time-limit``, calls
``sys.exit`` or changes NumPy's error state fails its case); 2 a usage error (one line on stderr, no traceback);
130 interrupted (Ctrl-C, or a candidate raising KeyboardInterrupt): the cases checked so far are summarised.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from .args import Parser, UsageError

PROFILES = {"fast": 2000, "thorough": 20000}
EXTREME_SHARE = 10          # with extremes on, one case in this many is an extreme one
CONTROL_CASES, SELF_CHECK_CASES = 400, 200


def _parser() -> Parser:
    p = Parser(prog="python -m compare", description=(
        "Check backprop against jax.grad on random architectures, element by element, with per-element "
        "rounding-error tolerances. Without options: manual.grad and manual.backprop, float64 and float32. "
        "Subcommands: train, diagram, bench (python -m compare SUB --help)."))
    p.add_argument("--examples", type=int, help="random cases per checked function (default: the profile's)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random cases (default 0)")
    p.add_argument("--dtype", choices=["float64", "float32", "both"], default="both")
    p.add_argument("--profile", choices=sorted(PROFILES), default="fast",
                   help=f"fast: {PROFILES['fast']} cases per function; thorough: {PROFILES['thorough']}")
    p.add_argument("--json", nargs="?", const="-", metavar="PATH",
                   help="write the report as JSON to PATH (or stdout with no PATH) instead of text")
    p.add_argument("--candidate", metavar="PATH.py",
                   help="check the grad(params, x, y) defined in this file (and its cost, if any)")
    p.add_argument("--only", choices=["manual.grad", "manual.backprop"], help="check only this built-in function")
    p.add_argument("--case", metavar="SPEC", help="check one case, e.g. 'sizes=3-1-2 batch=4 scale=1.5 "
                                                  "dtype=float64 seed=7' (as printed by a report)")
    p.add_argument("--controls", action="store_true", help="run the shipped right and wrong controls: a kill table")
    p.add_argument("--self-check", action="store_true",
                   help="check autodiff itself against complex-step differentiation (no JAX) on small nets")
    p.add_argument("--extremes", action=argparse.BooleanOptionalAction, default=None,
                   help="make a tenth of the cases extreme: values at the ends of the dtype's range, subnormals, "
                        "|y| up to the largest float, z beyond range (default: on for manual.*, off for --candidate)")
    p.add_argument("--no-shrink", action="store_true", help="report the first failing case as drawn")
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="wall-clock limit on each call of the checked function; a call that takes longer fails "
                        "its case (default 10; 3 timeouts in a row and it is no longer waited for)")
    return p


def load_candidate(path: str):
    """``compare.oracle.load.load_candidate``, with its refusal as a UsageError."""
    from compare.oracle.load import CandidateError
    from compare.oracle.load import load_candidate as load

    try:
        return load(path)
    except CandidateError as e:
        raise UsageError(str(e)) from None


def _targets(args):
    """[(name, grad, cost, single_only, reproduce-prefix)] to check."""
    if args.candidate:
        grad, cost, _ = load_candidate(args.candidate)
        return [(args.candidate, grad, cost, False, f"python -m compare --candidate {args.candidate}")]
    import manual

    targets = [("manual.grad", manual.grad, manual.cost, False, "python -m compare --only manual.grad"),
               ("manual.backprop", manual.backprop, None, True, "python -m compare --only manual.backprop")]
    return [t for t in targets if args.only in (None, t[0])]


def _cases(args, single_only: bool):
    from compare.oracle.cases import draw_cases, parse_case

    if args.case:
        try:
            cases = [parse_case(args.case)]
        except ValueError as e:
            raise UsageError(str(e)) from None
    else:
        dtypes = ("float64", "float32") if args.dtype == "both" else (args.dtype,)
        n = args.examples if args.examples is not None else PROFILES[args.profile]
        extreme = 0
        if args.extremes if args.extremes is not None else not args.candidate:
            from compare.oracle.longdouble import available

            if not available() and args.extremes:
                raise UsageError("--extremes needs a long double wider than float64, which this platform lacks")
            extreme = n // EXTREME_SHARE if available() else 0
        cases = draw_cases(n - extreme, args.seed, dtypes)
        if extreme:
            from compare.oracle.cases import draw_extreme_cases

            cases += draw_extreme_cases(extreme, args.seed, dtypes)
    if single_only:
        cases = [dataclasses.replace(c, batch=0) for c in cases]
    return cases


def run(args) -> int:
    from compare.oracle import isolation
    from compare.oracle.check import check_grad
    from compare.oracle.report import format_report, to_json

    from .progress import Progress

    if args.examples is not None and not 1 <= args.examples <= 10_000_000:
        raise UsageError(f"--examples must be between 1 and 10000000, got {args.examples}")
    if args.seed < 0:
        raise UsageError(f"--seed must be >= 0, got {args.seed}")
    targets = _targets(args)
    start = time.perf_counter()
    reports, notes = [], []
    for name, grad, cost, single_only, prefix in targets:
        cases = _cases(args, single_only)
        isolation.reset()
        bar = Progress(len(cases), name)
        report = check_grad(grad, cases, name=name, cost=cost, shrink_failure=not args.no_shrink,
                            progress=bar.update, reproduce=lambda c, p=prefix: f"{p} --case '{c.spec()}'")
        bar.close()
        reports.append(report)
        note = isolation.printed.note()
        printed = isolation.printed
        notes.append({"name": name, "printed_chars": printed.chars, "printing_calls": printed.calls})
        if args.json is None:
            print(format_report(report) + (f"\n  {note}" if note else ""), flush=True)
        if report.interrupted:
            break
    total = sum(r.cases for r in reports)
    elapsed = time.perf_counter() - start
    if args.json is None:
        verdict = ("interrupted" if any(r.interrupted for r in reports) and all(r.failed == 0 for r in reports)
                   else "all agree" if all(r.ok for r in reports) else "DISAGREEMENT")
        print(f"{total} cases in {elapsed:.2f} s ({total / max(elapsed, 1e-9):,.0f} cases/s); {verdict}")
    else:
        text = to_json(reports, seconds=elapsed, candidate_output=notes)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as f:
                f.write(text + "\n")
    if any(r.interrupted for r in reports):
        return 130
    return 0 if all(r.ok for r in reports) else 1


def controls(args) -> int:
    """``--controls``: the kill table; 0 when every wrong control is caught and every right one passes."""
    from compare.controls.table import format_table, run_controls

    n = args.examples if args.examples is not None else CONTROL_CASES
    start = time.perf_counter()
    rows = run_controls(n, args.seed)
    print(format_table(rows))
    print(f"{len(rows)} controls x {n} cases in {time.perf_counter() - start:.1f} s")
    return 0 if all(r.ok for r in rows) else 1


def self_check(args) -> int:
    """``--self-check``: jax.grad against complex-step derivatives; 0 when all agree."""
    from compare.oracle.selfcheck import self_check as check

    start = time.perf_counter()
    r = check(args.examples if args.examples is not None else SELF_CHECK_CASES, args.seed)
    for line in r.disagreements:
        print(line)
    print(f"self-check: jax.grad (engine on {r.cases}, autodiff.grad on {r.autodiff_cases}) vs "
          f"complex step, float64 nets of depth 1-4, widths 1-5: "
          f"{'all agree' if not r.failed else f'{r.failed} arrays DISAGREE'}; worst |difference| / tolerance "
          f"{r.worst:.3g}; {time.perf_counter() - start:.1f} s")
    return 0 if not r.failed else 1


def _set_time_limit(args) -> None:
    """``--time-limit`` into ``isolation.CALL_TIME_LIMIT`` (left at its default when the option is not given)."""
    from compare.oracle import isolation

    if args.time_limit is None:
        return
    if not 0 < args.time_limit <= isolation.MAX_TIME_LIMIT:
        raise UsageError(f"--time-limit must be > 0 and <= {isolation.MAX_TIME_LIMIT:g} seconds, "
                         f"got {args.time_limit:g}")
    isolation.CALL_TIME_LIMIT = args.time_limit


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
        _set_time_limit(args)
        if args.controls:
            return controls(args)
        if args.self_check:
            return self_check(args)
        return run(args)
    except UsageError as e:
        print(f"python -m compare: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # outside a check (importing, shrinking, printing): no summary to give
        print("python -m compare: interrupted", file=sys.stderr)
        return 130
