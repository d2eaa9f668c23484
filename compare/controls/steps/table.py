"""The step controls' kill table: every ``wrong_*.py`` here caught *and* diagnosed as its ``MISTAKE_KEY`` (a
``stepmistakes`` or ``mistakes`` key, ``mutation``, or a tuple of keys made together), every ``right_*.py``
passed. ``FORM = "epoch"`` marks an epoch control."""

from __future__ import annotations

import dataclasses
import pathlib
import time

from compare.oracle.cases.cases import draw_cases
from compare.oracle.checks.epoch import check_epoch
from compare.oracle.checks.stepcheck import check_step
from compare.oracle.sandbox.forms import EPOCH, STEP
from compare.oracle.sandbox.load import load_target
from compare.oracle.verdict.results import MUTATION

STEPS_DIR = pathlib.Path(__file__).parent


@dataclasses.dataclass(frozen=True)
class StepRow:
    """One control's line: ``caught`` (the run failed), ``diagnosed`` the mistake keys claimed, ``ok`` caught iff
    wrong and, for a wrong one, its MISTAKE_KEY among them."""

    name: str
    expect: str
    key: str | tuple[str, ...]
    caught: bool
    failed: int
    cases: int
    diagnosed: tuple[str, ...]
    ok: bool
    seconds: float


def declared(key: str | tuple[str, ...]) -> tuple[str, ...]:
    """A control's MISTAKE_KEY as keys: one key, or a tuple of the mistakes it makes together."""
    return key if isinstance(key, tuple) else (key,)


def run_step_controls(n: int, seed: int) -> list[StepRow]:
    """Every step control on ``n`` cases (epoch controls on n // 4 epochs); one ``StepRow`` each."""
    cases = draw_cases(n, seed)
    rows = []
    for path in sorted([*STEPS_DIR.glob("wrong_*.py"), *STEPS_DIR.glob("right_*.py")]):
        module = load_target(str(path) + ":" + ("epoch" if "epoch" in path.stem else "step"))
        m = module.module
        start = time.perf_counter()
        if getattr(m, "FORM", "step") == "epoch":
            report = check_epoch(module.target, examples=max(n // 4, 1), seed=seed, name=path.name,
                                 form=EPOCH)
        else:
            report = check_step(module.target, cases, seed=seed, name=path.name, form=STEP)
        caught = not report.ok
        first = report.smallest.failure if report.smallest is not None else None
        keys = report.mistakes + ((MUTATION,) if first is not None and first.kind == MUTATION else ())
        wrong = m.EXPECT == "wrong"
        ok = caught == wrong and (not wrong or set(declared(m.MISTAKE_KEY)) <= set(keys))
        rows.append(StepRow(path.stem, m.EXPECT, m.MISTAKE_KEY, caught, report.failed, report.cases, keys, ok,
                            time.perf_counter() - start))
    return rows


def format_step_table(rows: list[StepRow]) -> str:
    """The step kill table as text."""
    width = max(len(r.name) for r in rows)
    lines = [f"{'step control':<{width}}  expect  verdict  failing steps  diagnosed as            ok",
             "-" * (width + 66)]
    for r in rows:
        lines.append(f"{r.name:<{width}}  {r.expect:<6}  {'caught' if r.caught else 'passed':<7}  "
                     f"{r.failed:>5}/{r.cases:<6}  {', '.join(r.diagnosed) or '-':<22}  {'yes' if r.ok else 'NO'}")
    wrong = [r for r in rows if r.expect == "wrong"]
    right = [r for r in rows if r.expect == "right"]
    lines.append(f"{sum(r.ok for r in wrong)}/{len(wrong)} wrong step controls caught and diagnosed, "
                 f"{sum(r.ok for r in right)}/{len(right)} right step controls passed")
    return "\n".join(lines)
