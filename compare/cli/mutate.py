"""``python -m compare mutate``: how much of ``manual/`` the comparison suite guards, measured by mutation.

Every first-order mutant (``compare.mutation.mutator``) of the chosen files, or a seeded sample of them, is run
against the default ``python -m compare`` on a temporary copy of the tree. The report gives killed / survived /
equivalent, the time, and each survivor as file:line, the change, and whether it is on the list of known
equivalents (``compare.mutation.equivalent``); then the survivors that are not listed (the gaps), each with the
key an entry for it would take, the listed mutants that were killed (wrong entries), and the listed entries of
the chosen files that no mutant matches any more (their statement was edited: re-key them). ``--list`` lists the
mutants, marking the listed ones, and the stale entries. ``--jobs J`` runs J suites at once, each on its own
copy. Exit status 0 when every survivor is listed, no listed mutant that ran was killed and no entry of the
chosen files is stale; 1 otherwise; 2 a usage error.
"""

from __future__ import annotations

import os
import random
import sys
import time

from .args import Parser, UsageError, int_at_least, parse, positive_float, usage_error

FILES = ("manual/network.py", "manual/careful.py", "manual/backprop.py", "manual/train.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIST = "compare/mutation/equivalent.py"


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


def stale_entries(files: list[str], every, equivalent: dict) -> list[tuple]:
    """The entries of ``equivalent`` for the files ``files`` that no mutant in ``every`` has the key of."""
    names = {f.rsplit("/", 1)[-1] for f in files}
    keys = {m.key for m in every}
    return [k for k in equivalent if k[0] in names and k not in keys]


def summary(outcomes, stale: list[tuple], equivalent: dict) -> tuple[list[str], int]:
    """The report's lines after the per-mutant progress, and the exit status: the counts; each survivor with its
    listed reason or ``NOT LISTED``; the survivors not listed, with their keys; the listed mutants that were
    killed; the ``stale`` entries. Status 1 when any of the last three is non-empty, else 0."""
    from compare.mutation.runner import KILLED, SURVIVED, TIMEOUT

    killed = [o for o in outcomes if o.verdict in (KILLED, TIMEOUT)]
    survived = [o for o in outcomes if o.verdict == SURVIVED]
    gaps = [o for o in survived if o.mutant.key not in equivalent]
    wrong = [o for o in killed if o.mutant.key in equivalent]
    lines = [f"{len(outcomes)} mutants: {len(killed)} killed ({sum(o.verdict == TIMEOUT for o in killed)} by "
             f"timeout), {len(survived)} survived ({len(survived) - len(gaps)} listed as equivalent, {len(gaps)} "
             "not listed: gaps)"]
    for o in survived:
        reason = equivalent.get(o.mutant.key)
        lines += [f"  survivor {o.mutant.describe()}",
                  f"    listed as equivalent: {reason}" if reason else "    NOT LISTED: a gap in the suite"]
    if gaps:
        lines.append(f"{len(gaps)} survivors not listed in {LIST} (a gap each; an entry would take its key):")
        lines += [f"  {o.mutant.key!r}," for o in gaps]
    if wrong:
        lines.append(f"{len(wrong)} mutants listed in {LIST} were killed (wrong entries):")
        lines += [f"  {o.mutant.describe()}" for o in wrong]
    if stale:
        lines.append(f"{len(stale)} entries of {LIST} match no mutant of these files (their statement changed: "
                     "re-key them):")
        lines += [f"  {k!r}" for k in stale]
    lines.append("all survivors listed" if not (gaps or wrong or stale) else
                 f"exit status 1: {len(gaps)} not listed, {len(wrong)} wrongly listed, {len(stale)} stale")
    return lines, 1 if gaps or wrong or stale else 0


def main(argv: list[str]) -> int:
    from compare.mutation.equivalent import EQUIVALENT
    from compare.mutation.runner import run_parallel

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
    stale = stale_entries(files, every, EQUIVALENT)
    if args.list:
        for m in chosen:
            print(m.describe() + ("  [listed as equivalent]" if m.key in EQUIVALENT else ""))
        listed = sum(m.key in EQUIVALENT for m in chosen)
        print(f"{len(chosen)} of {len(every)} mutants of {', '.join(files)} ({listed} listed as equivalent)")
        for k in stale:
            print(f"  stale entry of {LIST} (no mutant has its key): {k!r}")
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
    lines, status = summary(outcomes, stale, EQUIVALENT)
    per_run = sum(o.seconds for o in outcomes) / max(len(outcomes), 1)
    print(f"\n{elapsed:.0f} s, {elapsed / max(len(outcomes), 1):.1f} s per mutant"
          + (f" ({per_run:.1f} s per suite run, {args.jobs} at a time)" if args.jobs > 1 else ""))
    print("\n".join(lines))
    sys.stdout.flush()
    return status
