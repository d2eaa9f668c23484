"""``python -m compare mutate``: how much of ``manual/`` the comparison suite guards, measured by mutation.

Every first-order mutant (``compare.mutation.mutator``) of the chosen files, or a seeded sample of them, is run
against the default ``python -m compare`` on a temporary copy of the tree. The report gives killed / survived /
equivalent, the time, and each survivor as file:line, the change, and whether it is on the list of known
equivalents (``compare.mutation.equivalent``). ``--jobs J`` runs J suites at once, each on its own copy. Exit
status 0 when every survivor is a known equivalent and every listed mutant that ran survived; 1 otherwise (a gap,
or a wrong entry); 2 a usage error.
"""

from __future__ import annotations

import os
import random
import sys
import time

from .args import Parser, UsageError, int_at_least, parse, positive_float, usage_error

FILES = ("manual/network.py", "manual/careful.py", "manual/backprop.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _parser() -> Parser:
    p = Parser(prog="python -m compare mutate", description=(
        "Mutate the math and careful code of manual/ and run python -m compare against each mutant."))
    p.add_argument("--file", action="append", metavar="F", help=f"a file to mutate, relative to the project root "
                   f"(repeatable; default {', '.join(FILES)})")
    p.add_argument("--sample", type=int_at_least(1), metavar="N", help="run a random sample of N mutants")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="seed of the sample (default 0)")
    p.add_argument("--timeout", type=positive_float, default=300.0, help="seconds per suite run (default 300)")
    p.add_argument("--jobs", type=int_at_least(1), default=1, metavar="J",
                   help="suite runs at once, each on its own copy of the tree (default 1; 2 on a 2-core machine "
                        "halves the time)")
    p.add_argument("--list", action="store_true", help="list the mutants without running them")
    p.add_argument("--suite-args", default="", metavar="ARGS",
                   help="extra arguments for python -m compare, e.g. '--examples 500' (default: none)")
    return p


def _mutants(files: list[str]):
    from compare.mutation.mutator import mutants

    out = []
    for f in files:
        path = os.path.join(ROOT, f)
        if not os.path.isfile(path):
            raise UsageError(f"--file {f!r}: no such file under {ROOT}")
        with open(path) as fh:
            out += mutants(fh.read(), f)
    return out


def main(argv: list[str]) -> int:
    from compare.mutation.equivalent import EQUIVALENT
    from compare.mutation.runner import KILLED, SURVIVED, TIMEOUT, run_parallel

    try:
        args = parse(_parser(), argv)
        if isinstance(args, int):
            return args
        files = args.file or list(FILES)
        every = _mutants(files)
        chosen = every
        if args.sample is not None and args.sample < len(every):
            chosen = [every[i] for i in sorted(random.Random(args.seed).sample(range(len(every)), args.sample))]
    except UsageError as e:
        return usage_error("python -m compare mutate", e)
    if args.list:
        for m in chosen:
            print(m.describe())
        print(f"{len(chosen)} of {len(every)} mutants of {', '.join(files)}")
        return 0
    print(f"running python -m compare against {len(chosen)} of {len(every)} mutants of {', '.join(files)}"
          + (f", {args.jobs} at a time" if args.jobs > 1 else ""), flush=True)
    start = time.perf_counter()
    outcomes = []
    for o in run_parallel(ROOT, chosen, tuple(args.suite_args.split()), args.timeout, args.jobs):
        outcomes.append(o)
        print(f"  [{len(outcomes)}/{len(chosen)}] {o.verdict:8s} {o.seconds:5.1f} s  {o.mutant.describe()}",
              flush=True)
    elapsed = time.perf_counter() - start
    rank = {id(m): i for i, m in enumerate(chosen)}
    outcomes.sort(key=lambda o: rank[id(o.mutant)])          # the files' order, whatever order the jobs finished in
    killed = [o for o in outcomes if o.verdict in (KILLED, TIMEOUT)]
    survived = [o for o in outcomes if o.verdict == SURVIVED]
    equivalent = [o for o in survived if o.mutant.key in EQUIVALENT]
    gaps = [o for o in survived if o.mutant.key not in EQUIVALENT]
    wrong = [o for o in killed if o.mutant.key in EQUIVALENT]
    print(f"\n{len(outcomes)} mutants: {len(killed)} killed ({sum(o.verdict == TIMEOUT for o in killed)} by timeout), "
          f"{len(survived)} survived ({len(equivalent)} known equivalent, {len(gaps)} not: gaps); "
          f"{elapsed:.0f} s, {elapsed / max(len(outcomes), 1):.1f} s per mutant"
          + (f" ({sum(o.seconds for o in outcomes) / max(len(outcomes), 1):.1f} s per suite run, {args.jobs} at a "
             "time)" if args.jobs > 1 else ""))
    for o in survived:
        reason = EQUIVALENT.get(o.mutant.key)
        print(f"  survivor {o.mutant.describe()}\n    " + (f"known equivalent: {reason}" if reason else "GAP"))
    for o in wrong:
        print(f"  listed as equivalent but killed: {o.mutant.describe()}")
    sys.stdout.flush()
    return 0 if not gaps and not wrong else 1
