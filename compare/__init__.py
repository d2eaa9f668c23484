"""The oracle: check any backprop against ``jax.grad``, element by element, with rounding-error tolerances.

    from compare import check_grad, assert_grad_matches, format_report
    report = check_grad(my_grad, examples=2000, seed=0)    # a Report; report.ok, report.first, ...
    print(format_report(report))
    assert_grad_matches(my_grad)                           # in your own pytest suite

    from hypothesis import given, settings
    from compare.strategies import cases
    @settings(deadline=None)          # the first case of a shape waits for a JAX compile
    @given(cases())
    def test_mine(case):
        assert_grad_matches(my_grad, [case])

``my_grad(params, x, y)`` takes and returns the project's format (see ``manual.params``).
"""

from __future__ import annotations

import importlib

# name -> module that defines it; imported on first use (PEP 562), so that ``import compare.oracle.sandbox.worker``
# (the candidate's process) loads NumPy and nothing of JAX
_PUBLIC = {
    "Case": "compare.oracle.cases.cases", "draw_cases": "compare.oracle.cases.cases",
    "materialise": "compare.oracle.cases.cases",
    "parse_case": "compare.oracle.cases.cases",
    "check_grad": "compare.oracle.checks.check", "check_file": "compare.oracle.checks.check",
    "assert_grad_matches": "compare.oracle.checks.check",
    "check_step": "compare.oracle.checks.stepcheck", "StepReport": "compare.oracle.checks.stepcheck",
    "check_epoch": "compare.oracle.checks.epoch", "format_step_report": "compare.oracle.report.stepreport",
    "reference": "compare.oracle.reference.single",
    "format_report": "compare.oracle.report.report", "to_json": "compare.oracle.report.report",
    "Failure": "compare.oracle.verdict.results", "Report": "compare.oracle.verdict.results",
    "split_spec": "compare.oracle.sandbox.load",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'compare' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
