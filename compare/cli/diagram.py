"""``python -m compare diagram 64,30,10 [--out net.png]``: how the network's vectors and matrices fit together.

The first seed ends with a drawing of its single-hidden-layer digit network showing the shape of every
vector and matrix. This draws the same for any layer sizes ``n_0, ..., n_L``, in the notation of the
derivation, every vector a column (rows × columns):

    forward:   z^l = W^l a^{l-1} + b^l,  a^l = sigma(z^l),  a^0 = x;   C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2
    backward:  delta^L = (1/n_L)(a^L - y) ⊙ sigma'(z^L),  delta^l = (W^{l+1})^T delta^{l+1} ⊙ sigma'(z^l)
               grad W^l = delta^l (a^{l-1})^T,  grad b^l = delta^l

``diagram_shapes`` gives the shapes, ``diagram_text`` the picture as text (printed by the command), and
``--out`` also draws it to a PNG with matplotlib, each box drawn with sides that grow with its rows and
columns, so a matrix's width visibly matches the height of the vector it multiplies.
"""

from __future__ import annotations

import math
import operator
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import args

Shape = tuple[int, int]


def _check_sizes(sizes) -> list[int]:
    if not (isinstance(sizes, (list, tuple, range)) or (isinstance(sizes, np.ndarray) and sizes.ndim == 1)):
        raise TypeError(f"sizes must be a sequence of layer sizes [n_0, ..., n_L], got {type(sizes).__name__}")
    out = []
    for i, n in enumerate(sizes):
        try:
            value = None if isinstance(n, bool) or type(n).__name__ == "bool_" else operator.index(n)
        except TypeError:
            value = None
        if value is None or value < 1:
            raise ValueError(f"sizes[{i}] must be a positive integer, got {n!r}")
        out.append(value)
    if len(out) < 2:
        raise ValueError(f"sizes must list at least two layer sizes [n_0, ..., n_L], got {list(sizes)!r}")
    return out


def diagram_shapes(sizes: Sequence[int]) -> list[dict[str, Shape]]:
    """Shapes (rows, columns) of every vector and matrix, with vectors as columns as in the seed.

    Returns a list indexed by layer l = 0..L. Entry 0 is ``{"x": (n_0, 1), "a": (n_0, 1)}`` (a^0 = x);
    entry l >= 1 has the keys ``W`` (n_l, n_{l-1}), ``b``, ``z``, ``a``, ``delta`` (each (n_l, 1)),
    ``grad_W`` (n_l, n_{l-1}) = delta^l (a^{l-1})^T, and ``grad_b`` (n_l, 1) = delta^l.
    """
    sizes = _check_sizes(sizes)
    shapes: list[dict[str, Shape]] = [{"x": (sizes[0], 1), "a": (sizes[0], 1)}]
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        column = (n, 1)
        shapes.append({"W": (n, n_prev), "b": column, "z": column, "a": column, "delta": column,
                       "grad_W": (n, n_prev), "grad_b": column})
    return shapes


def _dims(shape: Shape) -> str:
    return f"{shape[0]}×{shape[1]}"


def diagram_text(sizes: Sequence[int]) -> str:
    """The forward and backward pass, one equation a line, each with the shapes it combines and makes."""
    shapes = diagram_shapes(sizes)
    sizes = [s["a"][0] for s in shapes]
    L = len(sizes) - 1
    n_L = sizes[-1]
    rows: list[tuple[str, str]] = []   # (equation, shapes); a row with an empty shapes part is a heading

    rows.append(("Forward pass", ""))
    rows.append(("  x = a^0", _dims(shapes[0]["x"])))
    for l in range(1, L + 1):
        s = shapes[l]
        rows.append((f"  z^{l} = W^{l} a^{l - 1} + b^{l}",
                     f"({_dims(s['W'])})({_dims(shapes[l - 1]['a'])}) + ({_dims(s['b'])}) → {_dims(s['z'])}"))
        rows.append((f"  a^{l} = σ(z^{l})", f"σ elementwise → {_dims(s['a'])}"))
    rows.append((f"  C = (1/n_L) Σ_j ½ (a_j^{L} − y_j)²", f"y: {n_L}×1, n_L = {n_L} → a scalar"))

    rows.append(("Backward pass (δ^l = ∂C/∂z^l, σ′(z^l) = a^l ⊙ (1 − a^l))", ""))
    for l in range(L, 0, -1):
        s = shapes[l]
        if l == L:
            rows.append((f"  δ^{L} = (1/n_L)(a^{L} − y) ⊙ σ′(z^{L})",
                         f"(({_dims(s['a'])}) − ({n_L}×1)) ⊙ ({_dims(s['z'])}) → {_dims(s['delta'])}"))
        else:
            W_next = shapes[l + 1]["W"]
            rows.append((f"  δ^{l} = (W^{l + 1})ᵀ δ^{l + 1} ⊙ σ′(z^{l})",
                         f"({W_next[1]}×{W_next[0]})({_dims(shapes[l + 1]['delta'])}) ⊙ ({_dims(s['z'])}) "
                         f"→ {_dims(s['delta'])}"))
        a_prev = shapes[l - 1]["a"]
        rows.append((f"  ∇W^{l} = δ^{l} (a^{l - 1})ᵀ",
                     f"({_dims(s['delta'])})({a_prev[1]}×{a_prev[0]}) → {_dims(s['grad_W'])}, the shape of W^{l}"))
        rows.append((f"  ∇b^{l} = δ^{l}", f"{_dims(s['grad_b'])}, the shape of b^{l}"))

    rows.append(("Update (learning rate η)", ""))
    rows.append(("  W^l ← W^l − η ∇W^l,  b^l ← b^l − η ∇b^l", f"for l = 1..{L}"))

    width = max(len(eq) for eq, dims in rows if dims) + 3
    lines = [f"Network {'-'.join(map(str, sizes))}: n_0 = {sizes[0]} inputs, L = {L} layer{'s' * (L > 1)}; "
             "every vector is a column, shapes are rows×columns", ""]
    for eq, dims in rows:
        if not dims:
            if len(lines) > 2:
                lines.append("")
            lines.append(eq)
        else:
            lines.append(f"{eq:<{width}}{dims}")
    return "\n".join(lines) + "\n"


_ASCII = {"σ": "sigma", "′": "'", "δ": "delta", "∂": "d", "∇": "grad ", "ᵀ": "^T", "⊙": "(.)", "×": "x", "→": "->",
          "←": "<-", "−": "-", "η": "eta", "Σ": "sum", "½": "1/2", "²": "^2"}


def _ascii(text: str) -> str:
    return "".join(_ASCII.get(c, c) for c in text)


# ---- the drawing ---------------------------------------------------------------------------------------

# Box colours by kind: (fill, edge).
_COLOURS = {
    "param": ("#cfe2f3", "#1f4e79"),      # W, b
    "signal": ("#d9ead3", "#38761d"),     # x, z, a, y, sigma'(z)
    "error": ("#fce5cd", "#b45f06"),      # delta
    "grad": ("#f4cccc", "#990000"),       # grad W, grad b
}
_NAME_SIZE, _SHAPE_SIZE, _OP_SIZE, _HEAD_SIZE, _TITLE_SIZE = 12, 9.5, 14, 12.5, 14
_DPI = 110


@dataclass
class _Box:
    name: str          # mathtext
    shape: Shape
    kind: str


@dataclass
class _Op:
    text: str          # mathtext or plain


def side(d: int) -> float:
    """Drawn length in inches of a side of d rows or columns: grows like sqrt(d), then like log(d) past 100."""
    return 0.14 + 0.12 * math.sqrt(min(d, 100) - 1) + 0.4 * math.log2(max(d, 100) / 100)


def _rows(sizes: list[int]) -> tuple[list[list[list]], list[list[list]]]:
    """The drawing's rows, each a list of segments (aligned across the rows of a section) of tokens."""
    shapes = diagram_shapes(sizes)
    L = len(sizes) - 1

    def col(n):
        return (n, 1)

    def row_vec(n):
        return (1, n)

    forward = []
    for l in range(1, L + 1):
        a_prev = "a^{0} = x" if l == 1 else f"a^{{{l - 1}}}"
        forward.append([[_Box(f"$z^{{{l}}}$", shapes[l]["z"], "signal"), _Op("$=$")],
                        [_Box(f"$W^{{{l}}}$", shapes[l]["W"], "param"),
                         _Box(f"${a_prev}$", col(sizes[l - 1]), "signal"),
                         _Op("$+$"),
                         _Box(f"$b^{{{l}}}$", shapes[l]["b"], "param"),
                         _Op(r"$\overset{\sigma}{\longrightarrow}$"),
                         _Box(f"$a^{{{l}}}$" + (" (output)" if l == L else ""), shapes[l]["a"], "signal")]])
    backward = []
    for l in range(L, 0, -1):
        head = [_Box(rf"$\delta^{{{l}}}$", shapes[l]["delta"], "error"), _Op("$=$")]
        if l == L:
            body = [_Op(r"$\frac{1}{n_L}\,\left(\right.$"), _Box(f"$a^{{{L}}}$", shapes[L]["a"], "signal"),
                    _Op("$-$"), _Box("$y$", col(sizes[L]), "signal"), _Op(r"$\left.\right)\ \odot$"),
                    _Box(rf"$\sigma'(z^{{{L}}})$", shapes[L]["z"], "signal")]
        else:
            W_next = shapes[l + 1]["W"]
            body = [_Box(f"$(W^{{{l + 1}}})^T$", (W_next[1], W_next[0]), "param"),
                    _Box(rf"$\delta^{{{l + 1}}}$", shapes[l + 1]["delta"], "error"), _Op(r"$\odot$"),
                    _Box(rf"$\sigma'(z^{{{l}}})$", shapes[l]["z"], "signal")]
        grad_W = [_Box(rf"$\nabla W^{{{l}}}$", shapes[l]["grad_W"], "grad"), _Op("$=$"),
                  _Box(rf"$\delta^{{{l}}}$", shapes[l]["delta"], "error"),
                  _Box(f"$(a^{{{l - 1}}})^T$", row_vec(sizes[l - 1]), "signal")]
        grad_b = [_Box(rf"$\nabla b^{{{l}}}$", shapes[l]["grad_b"], "grad"), _Op("$=$"),
                  _Box(rf"$\delta^{{{l}}}$", shapes[l]["delta"], "error")]
        backward.append([head, body, [_Op("")], grad_W, [_Op("")], grad_b])
    return forward, backward


def _paint(ax, lines: list, legend: list, legend_y: float, placed: list, gap: float) -> None:
    """Put the measured texts at their places and draw the legend's swatches and the boxes (inches, y down)."""
    from matplotlib.patches import Rectangle

    for (t, _, _), y_top in lines:
        t.set_position((0.35, y_top))
    x = 0.35
    for kind, (t, w, _) in legend:
        fill, edge = _COLOURS[kind]
        ax.add_patch(Rectangle((x, legend_y - 0.08), 0.16, 0.16, facecolor=fill, edgecolor=edge, linewidth=1.2))
        t.set_position((x + 0.24, legend_y))
        x += 0.24 + w + 0.35
    for m, x_left, y_mid in placed:
        cx = x_left + m["width"] / 2
        if "op" in m:
            if m["op"][0] is not None:
                m["op"][0].set_position((cx, y_mid))
            continue
        fill, edge = _COLOURS[m["token"].kind]
        ax.add_patch(Rectangle((cx - m["w"] / 2, y_mid - m["h"] / 2), m["w"], m["h"],
                               facecolor=fill, edgecolor=edge, linewidth=1.2))
        m["name"][0].set_position((cx, y_mid - m["h"] / 2 - gap))
        m["dims"][0].set_position((cx, y_mid + m["h"] / 2 + gap))


def draw_diagram(sizes: Sequence[int], path: str | os.PathLike) -> None:
    """Draw the diagram of ``diagram_text`` to a PNG file at ``path`` (matplotlib, Agg backend)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = _check_sizes(sizes)
    L = len(sizes) - 1
    fig = plt.figure(figsize=(8, 6), dpi=_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    renderer = fig.canvas.get_renderer()

    def text(s, size, **kw):
        t = ax.text(0, 0, s, fontsize=size, **kw)
        box = t.get_window_extent(renderer)
        return t, box.width / _DPI, box.height / _DPI

    pad_x, gap, op_pad = 0.12, 0.05, 0.08
    placed = []   # (kind, artists, x_left, width, y_top, height) laid out in inches from the top left

    def measure(token):
        if isinstance(token, _Box):
            name = text(token.name, _NAME_SIZE, ha="center", va="bottom")
            dims = text(_dims(token.shape), _SHAPE_SIZE, ha="center", va="top", color="#333333")
            w, h = side(token.shape[1]), side(token.shape[0])
            width = max(w, name[1], dims[1]) + 2 * pad_x
            return {"token": token, "name": name, "dims": dims, "w": w, "h": h, "width": width,
                    "up": h / 2 + gap + name[2], "down": h / 2 + gap + dims[2]}
        t = text(token.text, _OP_SIZE, ha="center", va="center") if token.text else (None, 0.25, 0.0)
        return {"token": token, "op": t, "width": t[1] + 2 * op_pad, "up": t[2] / 2, "down": t[2] / 2}

    def lay_section(rows, y):
        measured = [[[measure(t) for t in seg] for seg in row] for row in rows]
        n_seg = max(len(r) for r in measured)
        seg_w = [max(sum(m["width"] for m in r[i]) for r in measured if i < len(r)) for i in range(n_seg)]
        right = 0.0
        for row in measured:
            up = max(m["up"] for seg in row for m in seg)
            down = max(m["down"] for seg in row for m in seg)
            y_mid = y + up
            x = 0.35
            for i, seg in enumerate(row):
                cx = x
                for m in seg:
                    placed.append((m, cx, y_mid))
                    cx += m["width"]
                x += seg_w[i]
            right = max(right, x)
            y = y_mid + down + 0.22
        return y, right

    title = text(f"Network {'-'.join(map(str, sizes))}: how its vectors and matrices fit together",
                 _TITLE_SIZE, ha="left", va="top", weight="bold")
    subtitle = text(f"$n_0 = {sizes[0]}$ inputs, $L = {L}$ layer{'s' * (L > 1)}; every vector is a column; "
                    "each box is labelled rows×columns; its sides grow with them, not to scale (as √, then log past "
                    "100)", _SHAPE_SIZE + 1, ha="left", va="top")
    heads = [text(s, _HEAD_SIZE, ha="left", va="top", weight="bold") for s in
             ("Forward pass", r"Backward pass   ($\delta^l = \partial C / \partial z^l$)")]
    cost = text(r"cost  $C = \frac{1}{n_L}\sum_j \frac{1}{2}\,(a^{L}_j - y_j)^2$,   "
                f"$n_L = {sizes[-1]}$,   a scalar", _NAME_SIZE, ha="left", va="top")
    update = text(r"update  $W^l \leftarrow W^l - \eta\,\nabla W^l$,   $b^l \leftarrow b^l - \eta\,\nabla b^l$"
                  f"   for $l = 1, \\ldots, {L}$ ($\\nabla W^l$ has the shape of $W^l$)", _NAME_SIZE,
                  ha="left", va="top")
    legend = [(kind, text(label, _SHAPE_SIZE + 1, ha="left", va="center")) for kind, label in
              (("param", "parameters W, b"), ("signal", "inputs, activations, σ′"), ("error", "errors δ"),
               ("grad", "gradients ∇"))]

    forward, backward = _rows(sizes)
    lines = []   # (artist tuple, y_top)
    y = 0.25
    lines.append((title, y))
    y += title[2] + 0.08
    lines.append((subtitle, y))
    y += subtitle[2] + 0.15
    legend_y = y + 0.1
    y += 0.45
    lines.append((heads[0], y))
    y, right_f = lay_section(forward, y + heads[0][2] + 0.2)
    lines.append((cost, y))
    y += cost[2] + 0.35
    lines.append((heads[1], y))
    y, right_b = lay_section(backward, y + heads[1][2] + 0.2)
    lines.append((update, y))
    y += update[2] + 0.3

    width = max(right_f, right_b, *(0.35 + t[1] for t, _ in lines)) + 0.35
    height = y
    fig.set_size_inches(width, height)
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)   # y grows downwards, in inches from the top

    _paint(ax, lines, legend, legend_y, placed, gap)
    try:
        fig.savefig(path, dpi=_DPI, facecolor="white")
    finally:
        plt.close(fig)


# ---- the command ---------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    """Run ``python -m compare diagram SIZES [--out FILE.png]``; return the exit status (2: usage error)."""
    parser = args.Parser(prog="python -m compare diagram",
                     description="Print (and with --out draw) the shapes of every vector and matrix of a network.")
    parser.add_argument("sizes", type=args.sizes, metavar="SIZES", help="layer sizes n_0,...,n_L, e.g. 64,30,10")
    parser.add_argument("--out", metavar="FILE.png", help="also draw the diagram to this PNG file")
    try:
        opts = args.parse(parser, argv)
        if isinstance(opts, int):
            return opts
        if opts.out is not None:
            folder = os.path.dirname(os.path.abspath(opts.out))
            if os.path.isdir(opts.out) or not os.path.isdir(folder):
                raise args.UsageError(f"--out {opts.out!r}: not a file name in an existing folder")
    except args.UsageError as e:
        return args.usage_error(parser.prog, e)

    out = diagram_text(opts.sizes)
    try:
        sys.stdout.write(out)
    except UnicodeEncodeError:   # a terminal that cannot show σ, δ, ∇: spell them out
        sys.stdout.write(_ascii(out))
    if opts.out is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print(f"{parser.prog}: drawing needs matplotlib, which is not installed: "
                  "pip install 'backprop-oracle[plot]'", file=sys.stderr)
            return 1
        try:
            draw_diagram(opts.sizes, opts.out)
        except OSError as e:
            print(f"{parser.prog}: cannot write {opts.out!r}: {e.strerror or e}", file=sys.stderr)
            return 1
        print(f"saved diagram to {opts.out}")
    return 0
