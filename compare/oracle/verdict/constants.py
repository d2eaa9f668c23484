"""Cost conventions: a candidate right up to a constant, and ``--scale EXPR`` to declare one.

Real code often differentiates another cost than the seed's C = (1/m) sum_x (1/n_L) sum_j 1/2 (a_j - y_j)^2: no
1/2, no 1/n_L, a sum over the batch. Its gradient is then K times ours with K = (+-1) 2^a n_L^b m^c. ``fit``
finds the exponents from each failing case's ratio candidate/reference (cases with different n_L and m tell
2, n_L and m apart); ``parse_scale`` reads a declared K as an expression in ``n_L``, ``m``, numbers, ``*``,
``/``, ``**``, unary ``-`` and parentheses, parsed with ``ast`` (nothing else is evaluated).
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import math
import operator

import numpy as np

from ..cases.cases import Case
from .results import VALUE, Failure

_OPS = {ast.Mult: operator.mul, ast.Div: operator.truediv, ast.Pow: operator.pow}


def n_L_m(case: Case) -> tuple[int, int]:
    """The case's n_L and m (1 for a single example)."""
    return case.sizes[-1], max(case.batch, 1)


@dataclasses.dataclass(frozen=True)
class Scale:
    """A declared constant K(n_L, m, n_0) the candidate's gradients are divided by; ``Scale(expr)(case)`` is K
    (n_0, the input width, for a loss divided by x.size: n_0 m)."""

    expr: str
    tree: ast.Expression = dataclasses.field(repr=False, compare=False)

    def value(self, n_L: int, m: int, n_0: int = 1) -> float:
        def ev(node):
            if isinstance(node, ast.Expression):
                return ev(node.body)
            if isinstance(node, ast.Constant):
                return float(node.value)
            if isinstance(node, ast.Name):
                return float({"n_L": n_L, "m": m, "n_0": n_0}[node.id])
            if isinstance(node, ast.UnaryOp):
                return -ev(node.operand)
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise ValueError(f"--scale {self.expr!r}: exponents beyond 64 are not a cost convention")
            return _OPS[type(node.op)](left, right)

        try:
            k = ev(self.tree)
        except (ZeroDivisionError, OverflowError):
            k = math.nan
        if not math.isfinite(k) or k == 0:
            raise ValueError(f"--scale {self.expr!r} is {k} for n_L = {n_L}, m = {m}, n_0 = {n_0}: it must be a "
                             "finite number other than 0")
        return k

    def __call__(self, case: Case) -> float:
        return self.value(*n_L_m(case), case.sizes[0])


def parse_scale(expr: str) -> Scale:
    """``Scale`` of an expression such as ``2*n_L`` or ``n_L*m/2``; ValueError naming what is not allowed."""
    if not isinstance(expr, str):
        raise TypeError(f"--scale must be a string such as '2*n_L', got {type(expr).__name__}")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        raise ValueError(f"--scale {expr!r} is not an expression such as 2*n_L or n_L*m") from None
    for node in ast.walk(tree):
        ok = (isinstance(node, (ast.Expression, ast.Load)) or isinstance(node, ast.operator) and type(node) in _OPS
              or isinstance(node, ast.BinOp) and type(node.op) in _OPS
              or isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) or isinstance(node, ast.USub)
              or isinstance(node, ast.Name) and node.id in ("n_L", "m", "n_0")
              or isinstance(node, ast.Constant) and type(node.value) in (int, float))
        if not ok:
            what = node.id if isinstance(node, ast.Name) else type(node).__name__
            raise ValueError(f"--scale {expr!r}: only n_L, m, n_0, numbers, *, /, **, - and parentheses are allowed, "
                             f"not {what}")
    scale = Scale(expr.strip(), tree)
    scale.value(1, 1, 1)
    scale.value(3, 5, 7)
    return scale


@dataclasses.dataclass(frozen=True)
class Constant:
    """K = sign * 2^twos * n_L^n_L_power * m^m_power, found to relate the candidate to the seed on every case."""

    sign: int
    twos: int
    n_L_power: int
    m_power: int

    def value(self, n_L: int, m: int, n_0: int = 1) -> float:
        return self.sign * 2.0**self.twos * float(n_L) ** self.n_L_power * float(m) ** self.m_power

    def expr(self) -> str:
        """The constant as ``--scale`` reads it, e.g. ``2*n_L`` or ``-1``."""
        factors = []
        for base, p in (("2", self.twos), ("n_L", self.n_L_power), ("m", self.m_power)):
            factors += [base] if p == 1 else [f"{base}**{p}"] if p else []
        text = "*".join(factors) or "1"
        return f"-{text}" if self.sign < 0 else text

    def meaning(self) -> str:
        """What cost the candidate differentiates, in the seed's terms."""
        if not (self.twos in (0, 1) and self.n_L_power in (0, 1) and self.m_power in (0, 1)):
            return f"the gradient of {self.expr()} times the seed's C"
        dropped = [w for w, p in (("1/2", self.twos), ("1/n_L", self.n_L_power), ("mean over the batch", self.m_power))
                   if p]
        cost = (("-" if self.sign < 0 else "") + ("sum_x " if self.m_power else "")
                + ("" if self.n_L_power else "(1/n_L) ") + "sum_j " + ("" if self.twos else "1/2 ")
                + ("(a_j - y_j)^2"))
        text = f"the gradient of {cost}"
        if dropped:
            text += f", without the seed's {' and '.join(dropped)}"
        if self.sign < 0:
            text += "; the sign is flipped: (y - a) where the seed has (a - y)"
        return text

    def matches(self, points: list[tuple[float, int, int]]) -> bool:
        return all(abs(r / self.value(n_L, m) - 1) < 1e-2 for r, n_L, m in points)


def ratio(f: Failure) -> float | None:
    """The one ratio candidate/reference shared by every significant element of a value failure, or None."""
    if f.kind != VALUE or not f.arrays:
        return None
    ratios = []
    for v in f.arrays:
        for c, r, t in ((v.cand_W, v.ref_W, v.tol_W), (v.cand_b, v.ref_b, v.tol_b)):
            big = np.abs(r) > 1000 * t                # rounding moves these by < 1e-3 relative
            ratios.append(np.asarray(c, np.float64)[big] / r[big])
    ratios = np.concatenate(ratios)
    if ratios.size == 0 or not np.all(np.isfinite(ratios)):
        return None
    med = float(np.median(ratios))
    if med == 0 or np.max(np.abs(ratios / med - 1)) > 1e-2:
        return None
    return med


_ALL = [Constant(s, a, b, c) for s, a, b, c in itertools.product((1, -1), range(-3, 4), range(-2, 3), range(-2, 3))]


def fit(points: list[tuple[float, int, int]]) -> list[Constant]:
    """Every constant (exponents in small ranges) matching every (ratio, n_L, m) point, simplest first,
    except the constant 1 (that is a right candidate, not a convention)."""
    found = [k for k in _ALL if k.matches(points) and k != Constant(1, 0, 0, 0)]
    return sorted(found, key=lambda k: (abs(k.twos) + abs(k.n_L_power) + abs(k.m_power), k.sign < 0))


PROBE_SCALE = (0.5, 2.0)     # the weight scales of a probe: unsaturated units, so its gradient has elements far
#                             above their tolerance and a ratio to read (``ratio``)


def probes(case: Case, one_example: bool) -> list[Case]:
    """Cases like ``case`` with other n_L and m, to tell 2, n_L and m apart. Their weight scale is brought into
    ``PROBE_SCALE`` and they are ordinary draws (not extreme): a probe made from a saturated or extreme case
    would have no element large enough for a ratio, and the fit would stay ambiguous."""
    scale = min(max(case.scale, PROBE_SCALE[0]), PROBE_SCALE[1])
    out = []
    for i, (n_L, m) in enumerate(((3, 0 if one_example else 5), (5, 0 if one_example else 3), (7, 0))):
        out.append(dataclasses.replace(case, sizes=case.sizes[:-1] + (n_L,), batch=m, seed=case.seed + 1 + i,
                                       scale=scale, extreme=False))
    return out


def distinct(constants: list[Constant]) -> bool:
    """Whether the fits disagree somewhere on the probed (n_L, m) grid (so more points are needed)."""
    grid = [(n_L, m) for n_L in (2, 3, 5, 7) for m in (1, 2, 3, 5)]
    return len({tuple(round(k.value(n, m), 9) for n, m in grid) for k in constants}) > 1
