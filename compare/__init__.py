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

import numpy as np

from .oracle.cases import Case, draw_cases, materialise, parse_case
from .oracle.check import check_grad
from .oracle.epoch import check_epoch
from .oracle.report import format_report, to_json
from .oracle.results import Failure, Report
from .oracle.stepcheck import StepReport, check_step
from .oracle.stepreport import format_step_report


def reference(params, x, y):
    """``jax.grad`` of the seed's cost and the per-element tolerance for comparing a correct backprop with it.

    Returns ``(grads, tolerances)``, both in the parameter format (tolerances float64): a correct
    computation ``g`` satisfies ``abs(g - grad) <= tolerance`` element by element. Limited to the engine's
    padded size (``compare.oracle.limits``: depth <= 6, widths <= 64, batch <= 16).
    """
    from manual.params import check_inputs, check_params

    from .oracle import engine
    from .oracle.limits import MAX_BATCH, MAX_DEPTH, MAX_WIDTH

    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    m = x.shape[0] if x.ndim == 2 else 1
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
    if len(params) > MAX_DEPTH or max(sizes) > MAX_WIDTH or m > MAX_BATCH:
        raise ValueError(f"reference() handles depth <= {MAX_DEPTH}, widths <= {MAX_WIDTH} and batches <= "
                         f"{MAX_BATCH}; got depth {len(params)}, widths {sizes}, batch {m}")
    ref = engine.reference([(params, x, y)], str(np.dtype(dtype)))
    layers = [ref.layer(0, l) for l in range(len(params))]
    return [(r.W.copy(), r.b.copy()) for r in layers], [(r.tol_W, r.tol_b) for r in layers]


def assert_grad_matches(grad, cases=None, **kwargs) -> None:
    """Raise AssertionError with the full report unless ``grad`` agrees with ``jax.grad`` on ``cases``
    (a list of ``Case``; default: ``check_grad``'s random cases). Keyword arguments go to ``check_grad``.
    """
    report = check_grad(grad, cases, **kwargs)
    if not report.ok:
        raise AssertionError("\n" + format_report(report))


__all__ = ["Case", "Failure", "Report", "StepReport", "assert_grad_matches", "check_epoch", "check_grad",
           "check_step", "draw_cases", "format_report", "format_step_report",
           "materialise", "parse_case", "reference", "to_json"]
