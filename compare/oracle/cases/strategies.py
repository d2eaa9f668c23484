"""Hypothesis strategies that draw the oracle's cases, for users' own property tests.

    from hypothesis import given, settings
    from compare.strategies import cases
    from compare import assert_grad_matches

    @settings(deadline=None)        # the first case of each shape waits for a JAX compile
    @given(cases())
    def test_my_backprop_matches_jax(case):
        assert_grad_matches(my_grad, [case])
"""

from __future__ import annotations

from hypothesis import strategies as st

from .cases import Case
from .limits import DTYPES, MAX_BATCH, MAX_DEPTH, MAX_SCALE, MAX_WIDTH, MIN_SCALE

widths = st.one_of(st.just(1), st.integers(1, 8), st.integers(1, MAX_WIDTH))


@st.composite
def cases(draw, dtypes=DTYPES, max_depth: int = MAX_DEPTH, max_width: int = MAX_WIDTH) -> Case:
    """A ``Case``: depth 1..max_depth, widths 1..max_width (width 1 and square layers often), a single
    example or a batch of 1-16, weight scale in [0.25, 4], one of ``dtypes``, and a parameter seed.
    Shrinks towards one layer, width 1, a single example, scale 1.
    """
    depth = draw(st.integers(1, max_depth))
    sizes = [min(draw(widths), max_width)]
    for _ in range(depth):
        square = draw(st.booleans())
        sizes.append(sizes[-1] if square else min(draw(widths), max_width))
    batch = draw(st.integers(0, MAX_BATCH))
    scale = draw(st.sampled_from([1.0, 0.5, 2.0, 4.0, MIN_SCALE, 3.0]) | st.floats(MIN_SCALE, MAX_SCALE))
    dtype = draw(st.sampled_from(list(dtypes)))
    seed = draw(st.integers(0, 2**32))
    return Case(tuple(sizes), batch, scale, dtype, seed)
