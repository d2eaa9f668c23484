"""The oracle's command line: the default suite, ``--candidate``, ``--controls``, ``--self-check``.

Exit codes: 0 every case agrees; 1 a disagreement (a candidate that raises, hangs past ``--time-limit``, calls
``sys.exit`` or changes NumPy's error state fails its case); 2 a usage error (one line on stderr, no traceback);
130 interrupted (Ctrl-C, or a candidate raising KeyboardInterrupt): the cases checked so far are summarised.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time

PROFILES = {"fast": 2000, "thorough": 20000}


class UsageError(Exception):
    """A problem with how the command was called: exit 2 with one line, no traceback."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m compare", description=(
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
    p.add_argument("--no-shrink", action="store_true", help="report the first failing case as drawn")
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="wall-clock limit on each call of the checked function; a call that takes longer fails "
                        "its case (default 10; 3 timeouts in a row and it is no longer waited for)")
    return p


def load_candidate(path: str):
    """Import the file at ``path`` and return its ``grad`` (and ``cost`` or None); UsageError when unusable."""
    import importlib.util

    if not os.path.exists(path):
        raise UsageError(f"no such file: {path}")
    if os.path.isdir(path) or not path.endswith(".py"):
        raise UsageError(f"--candidate needs a Python file ending in .py, got {path}")
    name = "_candidate_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        raise UsageError(f"{path}:{e.lineno}: syntax error: {e.msg}") from None
    except (Exception, SystemExit) as e:
        raise UsageError(f"{path} failed to import: {type(e).__name__}: {e}") from None
    grad = getattr(module, "grad", None)
    if not callable(grad):
        raise UsageError(f"{path} defines no function grad(params, x, y)")
    cost = getattr(module, "cost", None)
    return grad, cost if callable(cost) else None, module


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
    from .cases import draw_cases, parse_case

    if args.case:
        try:
            cases = [parse_case(args.case)]
        except ValueError as e:
            raise UsageError(str(e)) from None
    else:
        dtypes = ("float64", "float32") if args.dtype == "both" else (args.dtype,)
        n = args.examples if args.examples is not None else PROFILES[args.profile]
        cases = draw_cases(n, args.seed, dtypes)
    if single_only:
        cases = [dataclasses.replace(c, batch=0) for c in cases]
    return cases


def run(args) -> int:
    from . import sandbox
    from .check import check_grad
    from .progress import Progress
    from .report import format_report, to_json

    if args.examples is not None and not 1 <= args.examples <= 10_000_000:
        raise UsageError(f"--examples must be between 1 and 10000000, got {args.examples}")
    if args.seed < 0:
        raise UsageError(f"--seed must be >= 0, got {args.seed}")
    targets = _targets(args)
    start = time.perf_counter()
    reports, notes = [], []
    for name, grad, cost, single_only, prefix in targets:
        cases = _cases(args, single_only)
        sandbox.reset()
        bar = Progress(len(cases), name)
        report = check_grad(grad, cases, name=name, cost=cost, shrink_failure=not args.no_shrink,
                            progress=bar.update, reproduce=lambda c, p=prefix: f"{p} --case '{c.spec()}'")
        bar.close()
        reports.append(report)
        note = sandbox.printed.note()
        notes.append({"name": name, "printed_chars": sandbox.printed.chars, "printing_calls": sandbox.printed.calls})
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


def _set_time_limit(args) -> None:
    """``--time-limit`` into ``sandbox.CALL_TIME_LIMIT`` (left at its default when the option is not given)."""
    from . import sandbox

    if args.time_limit is None:
        return
    if not 0 < args.time_limit <= sandbox.MAX_TIME_LIMIT:
        raise UsageError(f"--time-limit must be > 0 and <= {sandbox.MAX_TIME_LIMIT:g} seconds, got {args.time_limit:g}")
    sandbox.CALL_TIME_LIMIT = args.time_limit


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
        _set_time_limit(args)
        if args.controls:
            from .controls_run import main as controls_main

            return controls_main(args)
        if args.self_check:
            from .selfcheck import main as selfcheck_main

            return selfcheck_main(args)
        return run(args)
    except UsageError as e:
        print(f"python -m compare: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # outside a check (importing, shrinking, printing): no summary to give
        print("python -m compare: interrupted", file=sys.stderr)
        return 130
