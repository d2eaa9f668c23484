"""``python -m compare --controls``: run the shipped negative and positive controls; print a kill table.

Every file in ``compare/controls/`` is a candidate backprop with ``EXPECT = "wrong"`` (a real mistake,
named in ``MISTAKE``) or ``EXPECT = "right"`` (correct, but computed differently). The oracle must catch
every wrong one and pass every right one, on the same random cases as the default run.
"""

from __future__ import annotations

import pathlib
import time

CONTROLS_DIR = pathlib.Path(__file__).parent / "controls"


def control_files() -> list[pathlib.Path]:
    return sorted(p for p in CONTROLS_DIR.glob("*.py") if not p.name.startswith("_"))


def run_controls(n: int, seed: int, dtypes=("float64", "float32")) -> list[dict]:
    """Check every control on ``n`` cases; one row per control: name, expect, mistake, caught, ok, seconds."""
    from .cases import draw_cases
    from .check import check_grad
    from .cli import load_candidate

    cases = draw_cases(n, seed, dtypes)
    rows = []
    for path in control_files():
        grad, cost, module = load_candidate(str(path))
        expect = getattr(module, "EXPECT", "?")
        start = time.perf_counter()
        report = check_grad(grad, cases, name=path.name, cost=cost, shrink_failure=False)
        caught = not report.ok
        rows.append(dict(name=path.stem, expect=expect, mistake=getattr(module, "MISTAKE", ""), caught=caught,
                         failed=report.failed, cases=report.cases, ok=caught == (expect == "wrong"),
                         seconds=time.perf_counter() - start, diagnosis=report.diagnosis[:1]))
    return rows


def format_table(rows: list[dict]) -> str:
    width = max(len(r["name"]) for r in rows)
    lines = [f"{'control':<{width}}  expect  verdict         failing cases  time     ok",
             "-" * (width + 52)]
    for r in rows:
        verdict = "caught" if r["caught"] else "passed"
        lines.append(f"{r['name']:<{width}}  {r['expect']:<6}  {verdict:<14}  {r['failed']:>5}/{r['cases']:<6}  "
                     f"{r['seconds']:6.2f} s  {'yes' if r['ok'] else 'NO'}")
    wrong = [r for r in rows if r["expect"] == "wrong"]
    right = [r for r in rows if r["expect"] == "right"]
    lines.append(f"{sum(r['caught'] for r in wrong)}/{len(wrong)} wrong controls caught, "
                 f"{sum(not r['caught'] for r in right)}/{len(right)} right controls passed")
    return "\n".join(lines)


def main(args) -> int:
    n = args.examples if args.examples is not None else 400
    start = time.perf_counter()
    rows = run_controls(n, args.seed)
    print(format_table(rows))
    print(f"{len(rows)} controls x {n} cases in {time.perf_counter() - start:.1f} s")
    return 0 if all(r["ok"] for r in rows) else 1
