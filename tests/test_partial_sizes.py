"""``--sizes`` with drawn widths (``*-4-3-1``): fixed-architecture code often fixes some widths and takes any
other (a net built for one output, a hidden layer of a set size). The fixed widths hold in every drawn case and
in the shrunk one; the others are drawn as without ``--sizes``."""

from __future__ import annotations

from pathlib import Path

import oracle_cli
import pytest

from compare.cli import options
from compare.cli.args import UsageError
from compare.oracle.cases.cases import Case, draw_sized, draw_sized_default
from compare.oracle.diagnosis.shrink import drawn_space

ROOT = Path(__file__).resolve().parent.parent


def test_a_star_width_is_read_as_drawn_and_mixed_separators_are_refused():
    """``*`` is a drawn width; ``-`` or ``,`` separate, never both (``3,5-4-3-1`` is not five layers)."""
    assert options._sizes("*-4-3-1") == (None, 4, 3, 1)
    assert options._sizes("784,30,10") == (784, 30, 10)
    for text in ("3,5-4-3-1", "*", "4-x-1", "0-*"):
        with pytest.raises(UsageError):
            options._sizes(text)


@pytest.mark.parametrize("draw", [draw_sized, draw_sized_default])
def test_drawn_cases_keep_every_fixed_width_and_vary_the_others(draw):
    """Every case has the fixed depth and widths; the drawn input and second hidden width take many values."""
    cases = draw(300, 5, sizes=(None, 4, None, 1))
    assert all(c.depth == 3 and c.sizes[1] == 4 and c.sizes[3] == 1 for c in cases)
    assert len({c.sizes[0] for c in cases}) > 5 and len({c.sizes[2] for c in cases}) > 5


def test_the_shrink_keeps_the_fixed_widths_and_may_change_the_drawn_ones():
    """``drawn_space`` over such a draw refuses a case with another fixed width or depth, accepts other drawn ones."""
    allowed = drawn_space(draw_sized(200, 5, sizes=(None, 4, None, 1)))
    case = Case(sizes=(1, 4, 1, 1), batch=0, scale=1.0, dtype="float64", seed=1)
    assert allowed(case)
    assert not allowed(Case(sizes=(1, 2, 1, 1), batch=0, scale=1.0, dtype="float64", seed=1))
    assert not allowed(Case(sizes=(1, 1), batch=0, scale=1.0, dtype="float64", seed=1))


def test_a_wrong_control_checked_with_drawn_widths_shrinks_within_them_and_reproduces_quoted():
    """End to end: the failure is shrunk to a case with the fixed widths, named, and the reproduce line quotes
    the ``*`` (a shell would expand it)."""
    out = oracle_cli.run(["--candidate", "compare/controls/wrong_sign.py", "--sizes", "*-4-*-1", "--examples", "60",
                          "--progress", "off"], timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    spec = out.stdout.split("shrunk to:")[1].split("case: ")[1].split()[0]
    sizes = spec.removeprefix("sizes=").split("-")
    assert len(sizes) == 4 and sizes[1] == "4" and sizes[3] == "1", spec
    assert "- the constant -1 read as catalogued mistakes, where that convention is not meant: [sign] reproduced" \
        in out.stdout, out.stdout                          # n_L = 1: the sign flip is the constant -1 as well
    assert "--sizes '*-4-*-1' --case" in out.stdout
