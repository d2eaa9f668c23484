"""``compare.reference``: the reference and its tolerance for one network, as a library function."""

from __future__ import annotations

import numpy as np

from manual.params import check_inputs, check_params

from . import source


def reference(params, x, y):
    """``jax.grad`` of the seed's cost and the per-element tolerance for comparing a correct backprop with it.

    Returns ``(grads, tolerances)``, both in the parameter format (tolerances float64): a correct
    computation ``g`` satisfies ``abs(g - grad) <= tolerance`` element by element. Any size: a network beyond
    the padded engine's limits (``limits``) gets the unpadded reference, compiled for its own shapes.
    """
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    ref = source.reference([(params, x, y)], str(np.dtype(dtype)))
    layers = [ref.layer(0, l) for l in range(len(params))]
    return [(r.W.copy(), r.b.copy()) for r in layers], [(r.tol_W, r.tol_b) for r in layers]
