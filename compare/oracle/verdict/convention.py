"""How a candidate is called and read, as one value: ``Convention(layout, form, scale, strict_dtype)``.

- ``layout`` (``layouts.Layout``): how its arrays are laid out (weights, biases, possibly folded into W,
  examples, gradients and their order, plain lists read as arrays, one example or batches only per call);
- ``form`` (``forms.Form``): how it is called (a function, an object's method, a step or an epoch) and how its
  object is built (``Form.build``: ``Class(sizes)`` or a constructor expression);
- ``scale``: the declared cost convention K (``constants.Scale``, called on a case), or None for the seed's cost:
  its gradients and cost are divided by K before they are compared;
- ``strict_dtype``: a gradient in a wider float than the network's is a failure instead of a note.

Every function that calls a candidate takes one of these instead of the four options apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

from ..cases.cases import Case
from ..sandbox import forms, layouts


class Convention(NamedTuple):
    """The options a candidate is checked under (module doc); ``Convention()`` is the seed's own."""

    layout: layouts.Layout = layouts.DEFAULT
    form: forms.Form = forms.GRAD
    scale: Callable | None = None
    strict_dtype: bool = False

    @property
    def plain(self) -> bool:
        """Whether a candidate under it is a plain ``grad(params, x, y)`` in our format and the seed's cost."""
        return self.layout == layouts.DEFAULT and self.form == forms.GRAD and self.scale is None


SEED = Convention()


def network_cases(cases: list[Case], layout: layouts.Layout) -> list[Case]:
    """``cases`` as a candidate in ``layout`` has its network: b = 0 in its layers without a bias (every layer
    under ``--biases none``, those ``--no-bias-in`` names; none elsewhere, whatever layout the cases were made
    for), every other draw unchanged. ValueError where ``--no-bias-in`` names a layer a case lacks."""
    out = []
    for c in cases:
        bare = layout.bare(c.depth)
        out.append(c if c.bare == bare else dataclasses.replace(c, bare=bare))
    return out
