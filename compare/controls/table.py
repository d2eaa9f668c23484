"""The kill table (``python -m compare --controls``): the shipped wrong and right controls through the oracle.

Every ``wrong_*.py`` and ``right_*.py`` beside this module is a candidate backprop with ``EXPECT = "wrong"``
(a real mistake, named in ``MISTAKE`` and by its catalogue key in ``MISTAKE_KEY``) or ``EXPECT = "right"``
(correct, but computed differently). The oracle must catch every wrong one and pass every right one, on the
same random cases as the default run; the table also says whether the diagnosis named the declared key. A
control marked ``SQUARE_ONLY`` (a mistake whose shapes agree only on square layers, such as W used where W^T
belongs: elsewhere it raises) is run on the same cases made square (``square``), where its values show; one
marked ``UNIFORM_ONLY`` (shapes that agree only where every width is the same, such as a^(l+1) for a^(l-1)) on
the same cases made uniform (``uniform``); one marked ``UNIFORM_BATCH_ONLY`` (a sum over the wrong axis of the
batch, which lands on b^l only where m = n_l) on uniform cases whose batches are as large as a layer is wide.
"""

from __future__ import annotations

import dataclasses
import pathlib
import time

from compare.oracle.cases.cases import Case, draw_default
from compare.oracle.cases.limits import DTYPES, MAX_BATCH
from compare.oracle.checks.check import check_grad
from compare.oracle.sandbox.load import load_candidate
from compare.oracle.verdict.results import Failure

CONTROLS_DIR = pathlib.Path(__file__).parent


def control_files() -> list[pathlib.Path]:
    """The control candidates (``right_*.py`` and ``wrong_*.py``), sorted by name."""
    return sorted([*CONTROLS_DIR.glob("wrong_*.py"), *CONTROLS_DIR.glob("right_*.py")])


@dataclasses.dataclass(frozen=True)
class Row:
    """One control's line of the table. ``ok``: caught if and only if it is a wrong one. ``first`` is the first
    failing case's Failure (None when it passed), so a misjudged right control says why."""

    name: str
    expect: str
    mistake: str
    caught: bool
    failed: int
    cases: int
    ok: bool
    seconds: float
    diagnosis: list[str]
    first: Failure | None
    key: str = ""
    named: bool = False


def declared(key: str | tuple[str, ...]) -> tuple[str, ...]:
    """A control's MISTAKE_KEY as the report's ``mistakes``: one key, or a tuple of mistakes made together (in
    the catalogue's sorted order, as ``mistakes.Trial`` names them)."""
    return tuple(sorted(key)) if isinstance(key, tuple) else (key,)


def square(case: Case) -> Case:
    """``case`` with every layer above the input as wide as its first, (n_0, n_1, n_1, ..., n_1)."""
    return dataclasses.replace(case, sizes=(case.sizes[0],) + (case.sizes[1],) * case.depth)


def uniform(case: Case) -> Case:
    """``case`` with every layer, the input too, as wide as its first hidden or output layer, (n_1, ..., n_1)."""
    return dataclasses.replace(case, sizes=(case.sizes[1],) * (case.depth + 1))


def uniform_batch(case: Case) -> Case:
    """``case`` with every layer min(n_1, MAX_BATCH) wide and a batch (not a single example) of that many examples."""
    n = min(case.sizes[1], MAX_BATCH)
    return dataclasses.replace(case, sizes=(n,) * (case.depth + 1), batch=n if case.batch else 0)


SHAPED = {"SQUARE_ONLY": square, "UNIFORM_ONLY": uniform,     # a control's flag -> what its cases are made
          "UNIFORM_BATCH_ONLY": uniform_batch}


def shaping(module):
    """What a control's cases are made (``square`` or ``uniform``, by its flag), or None: as drawn."""
    return next((f for flag, f in SHAPED.items() if getattr(module, flag, False)), None)


def cases_for(module, cases: list[Case]) -> list[Case]:
    """The cases a control is checked on: ``cases``, made square or uniform as its flag says (``SHAPED``)."""
    f = shaping(module)
    return cases if f is None else [f(c) for c in cases]


def run_controls(n: int, seed: int, dtypes=DTYPES, only: tuple[str, ...] | None = None) -> list[Row]:
    """Check every control (or those named in ``only``, by file stem) on ``n`` cases; one ``Row`` per control."""
    cases = draw_default(n, seed, dtypes)
    rows = []
    for path in control_files():
        if only is not None and path.stem not in only:
            continue
        grad, cost, module = load_candidate(str(path))
        expect = getattr(module, "EXPECT", "?")
        start = time.perf_counter()
        report = check_grad(grad, cases_for(module, cases), name=path.name, cost=cost, shrink_failure=False)
        caught = not report.ok
        rows.append(Row(path.stem, expect, getattr(module, "MISTAKE", ""), caught, report.failed, report.cases,
                        caught == (expect == "wrong"), time.perf_counter() - start, report.diagnosis[:1],
                        report.first, " + ".join(declared(getattr(module, "MISTAKE_KEY", ()))),
                        report.mistakes == declared(getattr(module, "MISTAKE_KEY", ()))))
    return rows


def format_table(rows: list[Row]) -> str:
    """The kill table as text; a misjudged row is followed by its first failure's kind and message."""
    width = max(len(r.name) for r in rows)
    lines = [f"{'control':<{width}}  expect  verdict         failing cases  time     ok   diagnosis names",
             "-" * (width + 70)]
    for r in rows:
        verdict = "caught" if r.caught else "passed"
        lines.append(f"{r.name:<{width}}  {r.expect:<6}  {verdict:<14}  {r.failed:>5}/{r.cases:<6}  "
                     f"{r.seconds:6.2f} s  {'yes' if r.ok else 'NO ':<3}  "
                     f"{(r.key or 'nothing') + ('' if r.named else ' NOT NAMED')}")
        if not r.ok and r.first is not None:
            lines.append(f"    first failure ({r.first.kind}): {r.first.case.spec()}: {r.first.message}")
    wrong = [r for r in rows if r.expect == "wrong"]
    right = [r for r in rows if r.expect == "right"]
    lines.append(f"{sum(r.caught for r in wrong)}/{len(wrong)} wrong controls caught, "
                 f"{sum(not r.caught for r in right)}/{len(right)} right controls passed; "
                 f"{sum(r.named for r in wrong)}/{len(wrong)} diagnoses name the control's own mistake")
    return "\n".join(lines)
