"""The network diagram: shapes, the text picture and the ``diagram`` command."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from compare.cli import diagram
from compare.cli.diagram import diagram_shapes, diagram_text

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_shapes_of_the_digit_network():
    shapes = diagram_shapes([64, 30, 10])
    assert shapes[0] == {"x": (64, 1), "a": (64, 1)}
    assert shapes[1] == {"W": (30, 64), "b": (30, 1), "z": (30, 1), "a": (30, 1), "delta": (30, 1),
                         "grad_W": (30, 64), "grad_b": (30, 1)}
    assert shapes[2] == {"W": (10, 30), "b": (10, 1), "z": (10, 1), "a": (10, 1), "delta": (10, 1),
                         "grad_W": (10, 30), "grad_b": (10, 1)}


def test_shapes_of_one_layer():
    shapes = diagram_shapes([3, 2])
    assert len(shapes) == 2
    assert shapes[1]["W"] == shapes[1]["grad_W"] == (2, 3)
    assert shapes[1]["delta"] == shapes[1]["a"] == (2, 1)


@pytest.mark.parametrize("sizes", [[8, 7, 6, 5, 4, 3, 2], [1, 1], [2, 64, 1], [5, 1, 5, 1]])
def test_shapes_fit_together(sizes):
    shapes = diagram_shapes(sizes)
    assert len(shapes) == len(sizes)
    for l in range(1, len(sizes)):
        s, prev = shapes[l], shapes[l - 1]
        assert s["W"] == (sizes[l], sizes[l - 1])
        assert s["W"][1] == prev["a"][0]                                  # z^l = W^l a^{l-1} + b^l
        assert s["z"] == s["b"] == s["a"] == s["delta"] == s["grad_b"] == (sizes[l], 1)
        assert s["grad_W"] == (s["delta"][0], prev["a"][0]) == s["W"]    # grad W^l = delta^l (a^{l-1})^T
        if l + 1 < len(sizes):                                            # (W^{l+1})^T delta^{l+1}: n_l x 1
            assert shapes[l + 1]["W"][::-1][1] == shapes[l + 1]["delta"][0]
    # the shapes agree with the parameters a real network has
    import manual
    params = manual.init_params(sizes, seed=0)
    assert [s["W"] for s in shapes[1:]] == [W.shape for W, _ in params]


def test_text_shows_both_passes_with_shapes():
    text = diagram_text([64, 30, 10])
    assert "z^1 = W^1 a^0 + b^1" in text and "(30×64)(64×1) + (30×1) → 30×1" in text
    assert "δ^2 = (1/n_L)(a^2 − y) ⊙ σ′(z^2)" in text
    assert "δ^1 = (W^2)ᵀ δ^2 ⊙ σ′(z^1)" in text and "(30×10)(10×1) ⊙ (30×1) → 30×1" in text
    assert "∇W^1 = δ^1 (a^0)ᵀ" in text and "(30×1)(1×64) → 30×64" in text
    assert "∇b^1 = δ^1" in text
    assert text.index("Forward pass") < text.index("Backward pass") < text.index("Update")
    deep = diagram_text([8, 7, 6, 5, 4, 3, 2])
    assert "δ^6 = (1/n_L)" in deep and "δ^1 = (W^2)ᵀ" in deep and "L = 6 layers" in deep


@pytest.mark.parametrize("sizes, error", [
    ([], ValueError), ([3], ValueError), ([3, 0], ValueError), ([3, 2.5], ValueError), ([True, 2], ValueError),
    ("3,2", TypeError), (None, TypeError),
])
def test_bad_sizes_raise(sizes, error):
    with pytest.raises(error):
        diagram_shapes(sizes)


def test_numpy_integer_sizes_are_fine():
    assert diagram_shapes(np.array([3, 2]))[1]["W"] == (2, 3)


@pytest.mark.parametrize("sizes", ["64,30,10", "8,7,6,5,4,3,2"])
def test_command_writes_a_png(tmp_path, capsys, sizes):
    pytest.importorskip("matplotlib")
    out = tmp_path / "net.png"
    assert diagram.main([sizes, "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 10_000
    printed = capsys.readouterr().out
    assert "Forward pass" in printed and f"saved diagram to {out}" in printed


def test_command_prints_ascii_where_unicode_cannot_be_shown(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    assert diagram.main(["3,2"]) == 0
    stream.flush()
    text = raw.getvalue().decode("ascii")
    assert "delta^1 = (1/n_L)(a^1 - y) (.) sigma'(z^1)" in text


@pytest.mark.parametrize("argv", [[], ["64"], ["64,x"], ["0,3"], ["3,2", "--bogus"],
                                  ["3,2", "--out", "/no/such/folder/net.png"]])
def test_command_usage_errors(argv, capsys):
    assert diagram.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err and "Traceback" not in err


def test_the_diagram_claims_no_scale_its_boxes_do_not_have():
    """A box's side grows like sqrt(d) then log(d) (``side``), so 64 units are not twice 32: the subtitle must not
    say "drawn to scale", and the sides must indeed not be proportional (the claim it replaces was false)."""
    import inspect

    from compare.cli import diagram

    assert "drawn to scale" not in inspect.getsource(diagram)
    assert "not to scale" in inspect.getsource(diagram)
    side = diagram.side
    assert side(64) / side(32) < 1.9
