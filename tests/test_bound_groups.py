"""The padded engine bounds a chunk in groups of cases of like size (``engine.size_groups``): the groups are a
partition of the chunk, and the tolerances they give are the ones a bound of the whole chunk at its largest gives
(the padding beyond a group's own sizes holds no real element)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from compare.oracle.cases.cases import draw_cases, materialise
from compare.oracle.reference import engine, source


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 64), st.integers(1, 16)), min_size=1, max_size=64))
def test_size_groups_partition_the_chunk(sizes):
    """Property: every case index is in exactly one group, whatever the depths, widths and batches."""
    depth, width, rows = (np.array(v) for v in zip(*sizes))
    groups = engine.size_groups(depth, width, rows)
    assert sorted(np.concatenate(groups).tolist()) == list(range(len(sizes)))
    assert all(len(g) > 0 for g in groups)


def _chunks(cases):
    """The padded engine's chunks of ``cases``, as the oracle groups them."""
    by_group: dict = {}
    for c in cases:
        by_group.setdefault(source.group(c), []).append(c)
    padded = [cs for cs in by_group.values()
              if not cs[0].extreme and not engine.unpadded_needed(cs[0].sizes, cs[0].batch)]
    return [cs[i:i + engine.CHUNK] for cs in padded for i in range(0, len(cs), engine.CHUNK)]


def test_grouped_bounds_are_the_whole_chunks_bounds(monkeypatch):
    """On 600 drawn cases (both dtypes, every depth, width and batch), each real element's tolerance of W and b
    and of the cost is the one the whole chunk bounded at once gives (to summation order, 1e-12)."""
    handles = [engine.dispatch([materialise(c) for c in chunk], chunk[0].dtype)
               for chunk in _chunks(draw_cases(600, 11))]
    grouped = [engine.collect(h) for h in handles]
    monkeypatch.setattr(engine, "size_groups", lambda depth, width, rows: [np.arange(len(depth))])
    whole = [engine.collect(h) for h in handles]
    assert sum(h.cases for h in handles) > 500
    for h, g, w in zip(handles, grouped, whole):
        for k in range(h.cases):
            (c_g, t_g), (c_w, t_w) = g.cost(k), w.cost(k)
            assert c_g == c_w and abs(t_g - t_w) <= 1e-12 * t_w
            for l in range(int(h.padded.active[k].sum())):
                a, b = g.layer(k, l), w.layer(k, l)
                assert np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b)
                np.testing.assert_allclose(a.tol_W, b.tol_W, rtol=1e-12, atol=0)
                np.testing.assert_allclose(a.tol_b, b.tol_b, rtol=1e-12, atol=0)


def test_size_groups_are_used_on_a_mixed_chunk():
    """A drawn chunk of 64 cases of many sizes is bounded in more than one group (else nothing was gained)."""
    chunk = _chunks(draw_cases(200, 3))[0]
    h = engine.dispatch([materialise(c) for c in chunk], chunk[0].dtype)
    p = h.padded
    K = h.cases
    assert len(engine.size_groups(p.active[:K].sum(axis=1), p.n[:K].max(axis=1), (p.row_w[:K] > 0).sum(axis=1))) > 1
