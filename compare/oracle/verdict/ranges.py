"""What is compared on an extreme case, where the exact value may be beyond the dtype's range.

The rule: a candidate's ValueError is its refusal ("beyond range": the inputs are valid, so the range is the only
thing it can refuse). It agrees with the reference when some exact gradient element (or the exact cost) *may*
be beyond the dtype's range (|reference| + tolerance > max). Otherwise both sides are values and are compared
element by element as everywhere. A refusal where every element is surely in range, or values returned where
some exact element is surely beyond range (|reference| - tolerance > max), is a failure of kind ``range``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..cases.cases import Case
from ..reference.engine import Reference
from ..reference.longdouble import RangeInfo
from . import values
from .candidate import call_cost
from .results import RAISED, RANGE, Failure


def judge_grad(case: Case, failure: Failure | None, refused: bool, info: RangeInfo, k: int):
    """(decided, failure): ``decided`` when the range rule settles case k (a refusal, or values where the exact
    gradient is beyond range); else the values are to be compared as usual."""
    limit = np.finfo(case.dtype).max
    if failure is not None and failure.kind == RAISED and failure.cause == "raised" and refused:
        if info.grad_maybe[k]:
            return True, None
        return True, Failure(case, RANGE, f"refused the gradient as beyond {case.dtype}'s range (|value| > "
                                          f"{limit:.3g}), but every element of the reference is within it")
    if failure is None and info.grad_beyond[k]:
        return True, Failure(case, RANGE, f"returned a gradient where the reference has elements beyond "
                                          f"{case.dtype}'s range (|value| > {limit:.3g}); it must refuse "
                                          "with a ValueError")
    return False, failure


def call_and_judge_cost(case: Case, cost: Callable, mat, ref: Reference, info: RangeInfo, k: int):
    """``values.compare_cost`` under the range rule, ``cost`` called here (guarded, ``candidate.call_cost``);
    ``mat`` is the case's (params, x, y)."""
    c = call_cost(cost, *mat)
    return judge_cost(case, c.value, c.refused, ref, info, k)


def judge_cost(case: Case, c: float | str, refused: bool, ref: Reference, info: RangeInfo, k: int):
    """The range rule on a cost already computed: ``c`` its value or what went wrong, ``refused`` whether that
    was a ValueError."""
    failure = values.compare_cost(case, c, ref, k)
    limit = np.finfo(case.dtype).max
    if refused:
        return None if info.cost_maybe[k] else Failure(
            case, RANGE, f"refused the cost as beyond {case.dtype}'s range (> {limit:.3g}), but the reference "
                         f"cost {ref.cost(k)[0]:.17g} is within it")
    if info.cost_beyond[k] and (failure is None or failure.candidate is not None):   # it returned a value
        return Failure(case, RANGE, f"returned a cost where the reference is beyond {case.dtype}'s range "
                                    f"(> {limit:.3g}); it must refuse with a ValueError")
    return failure
