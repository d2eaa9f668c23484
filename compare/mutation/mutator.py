"""First-order AST mutants of a Python file: one small change each, of the kinds a slip in a derivation makes.

Kinds: an arithmetic, comparison or boolean operator swapped; a numeric constant changed (an int by +-1; a
float by +-1, doubled, halved or made 0) or an index; ``.T`` removed; a statement removed; ``x op= e`` made a
copy (``x = x op e``) and back; two arguments or operands swapped; a keyword argument dropped; a NumPy
reduction swapped for its opposite (max/min, all/any); ``abs``/``np.abs`` dropped around its argument; a
logarithm's base changed (log, log2, log10); an ``if``'s or a conditional expression's test made False or True
(an ``if`` without ``else`` made False is its removal, so only the removal is made).
Only code inside functions is mutated (not docstrings, not error messages), and a function's default arguments
(keyed by the ``def`` line). A mutant is identified by its file, its function and the statement before and
after (``Mutant.key``): stable when lines above it move.
"""

from __future__ import annotations

import ast
import copy
from typing import NamedTuple

_BINOP = {ast.Add: [ast.Sub], ast.Sub: [ast.Add], ast.Mult: [ast.Div, ast.Add], ast.Div: [ast.Mult, ast.FloorDiv],
          ast.FloorDiv: [ast.Div], ast.Pow: [ast.Mult], ast.MatMult: [ast.Mult], ast.Mod: [ast.FloorDiv],
          ast.BitOr: [ast.BitAnd], ast.BitAnd: [ast.BitOr]}
_CMPOP = {ast.Lt: [ast.LtE, ast.Gt], ast.LtE: [ast.Lt], ast.Gt: [ast.GtE, ast.Lt], ast.GtE: [ast.Gt],
          ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.In: [ast.NotIn], ast.NotIn: [ast.In],
          ast.Is: [ast.IsNot], ast.IsNot: [ast.Is]}
_NAMES = {"max": "min", "min": "max", "maximum": "minimum", "minimum": "maximum", "all": "any", "any": "all",
          "floor": "ceil", "ceil": "floor", "isfinite": "isnan"}
_LOGS = ("log", "log2", "log10")
_ABS = ("abs", "absolute", "fabs")
_NONCOMMUTATIVE = (ast.Sub, ast.Div, ast.MatMult, ast.Pow, ast.FloorDiv)


class Mutant(NamedTuple):
    """One mutant of ``path``: ``line`` (1-based) of the changed statement, what changed (``kind``), the statement
    before and after (unparsed), and the whole mutated source."""

    path: str
    function: str
    line: int
    kind: str
    before: str
    after: str
    source: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """(file name, function, statement before, statement after): what the list of equivalents is keyed by."""
        return (self.path.rsplit("/", 1)[-1], self.function, self.before, self.after)

    def describe(self) -> str:
        """``path:line (function, kind): before  ->  after``."""
        return f"{self.path}:{self.line} ({self.function}, {self.kind}): {self.before}  ->  {self.after}"


def _changes(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every one-step replacement of ``node`` itself (not its children): (kind, new node)."""
    out = []
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        for op in _BINOP.get(type(node.op), []):
            new = copy.copy(node)
            new.op = op()
            out.append(("operator", new))
        if isinstance(node, ast.BinOp) and isinstance(node.op, _NONCOMMUTATIVE):
            out.append(("swapped operands", ast.BinOp(node.right, node.op, node.left)))
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            target = ast.Name(node.target.id, ast.Load())
            out.append(("copy, not in place", ast.Assign([node.target], ast.BinOp(target, node.op, node.value))))
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        v = node.value
        if isinstance(v, ast.BinOp) and isinstance(v.left, ast.Name) and v.left.id == node.targets[0].id:
            out.append(("in place, not a copy", ast.AugAssign(node.targets[0], v.op, v.right)))
    elif isinstance(node, ast.Compare) and len(node.ops) == 1:
        for op in _CMPOP.get(type(node.ops[0]), []):
            out.append(("comparison", ast.Compare(node.left, [op()], node.comparators)))
    elif isinstance(node, ast.BoolOp):
        out.append(("boolean", ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub, ast.Invert)):
        out.append(("unary removed", node.operand))
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        v = node.value
        news = [v + 1, v - 1] if isinstance(v, int) else [v * 2, v / 2, 0.0, v + 1, v - 1]
        for new in sorted(set(news) - {v}):
            out.append(("constant", _number(new)))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append(("constant", ast.Constant(not node.value)))
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        out.append((".T removed", node.value))
    elif isinstance(node, ast.Attribute) and node.attr in _NAMES:
        out.append(("function swapped", ast.Attribute(node.value, _NAMES[node.attr], node.ctx)))
    elif isinstance(node, ast.Attribute) and node.attr in _LOGS:
        for name in _LOGS:
            if name != node.attr:
                out.append(("logarithm base", ast.Attribute(node.value, name, node.ctx)))
    elif isinstance(node, (ast.If, ast.IfExp)):
        if not isinstance(node, ast.If) or node.orelse:
            out.append(("condition switched off", _with_test(node, False)))
        out.append(("condition switched on", _with_test(node, True)))
    elif isinstance(node, ast.Call):
        if _is_abs(node):
            out.append(("abs removed", node.args[0]))
        if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
            out.append(("swapped arguments", ast.Call(node.func, [node.args[1], node.args[0]] + node.args[2:],
                                                      node.keywords)))
        for i in range(len(node.keywords)):
            out.append(("keyword removed", ast.Call(node.func, node.args, node.keywords[:i] + node.keywords[i + 1:])))
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
        pass  # the integer index is a Constant child: mutated there
    return out


def _number(v: int | float) -> ast.expr:
    """A node for ``v``; a negative one as ``-|v|`` (a negative Constant left of ``**`` unparses as ``-c ** e``)."""
    return ast.UnaryOp(ast.USub(), ast.Constant(-v)) if v < 0 else ast.Constant(v)


def _with_test(node: ast.If | ast.IfExp, value: bool) -> ast.If | ast.IfExp:
    """A copy of the ``if`` statement or conditional expression with its test replaced by ``value``."""
    new = copy.copy(node)
    new.test = ast.Constant(value)
    return new


def _is_abs(call: ast.Call) -> bool:
    """``abs(x)``, ``np.abs(x)``, ``np.absolute(x)`` or ``np.fabs(x)``: one argument, no keywords."""
    f = call.func
    named = (isinstance(f, ast.Name) and f.id == "abs") or (isinstance(f, ast.Attribute) and f.attr in _ABS)
    return named and len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred)


def _skip(node: ast.AST) -> bool:
    """Subtrees not worth mutating: docstrings, error messages, type annotations, imports."""
    if isinstance(node, (ast.JoinedStr, ast.Raise, ast.Import, ast.ImportFrom, ast.Assert)):
        return True
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _removable(stmt: ast.stmt) -> bool:
    """Statements whose removal still leaves a program that runs (not a return, not a def)."""
    return isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr, ast.If, ast.For, ast.With)) and not _skip(stmt)


class _Site(NamedTuple):
    """A node that may be mutated, where it is, and its statement (the ``def`` for a default argument)."""

    function: str
    statement: ast.stmt
    parent: ast.AST      # the node holding ``node`` in a field
    field: str
    index: int | None    # position in the field's list, or None
    node: ast.AST


def _sites(tree: ast.Module) -> list[_Site]:
    """Every node inside a function, in source order, with the statement holding it."""
    sites: list[_Site] = []

    def walk(node, function, statement):
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns", "decorator_list", "type_comment"):
                continue
            items = value if isinstance(value, list) else [value]
            for i, child in enumerate(items):
                if not isinstance(child, ast.AST) or _skip(child):
                    continue
                stmt = child if isinstance(child, ast.stmt) else statement
                fn = function
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    fn = f"{function}.{child.name}" if function else child.name
                    walk(child, fn, child)      # its defaults belong to the def line; its body to its statements
                    continue
                if fn:
                    sites.append(_Site(fn, stmt, node, field, i if isinstance(value, list) else None, child))
                walk(child, fn, stmt)

    walk(tree, "", None)
    return sites


def _statement_text(stmt: ast.stmt) -> str:
    """The statement as one line: a compound statement's first line, a function's ``def`` line."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        stmt = copy.copy(stmt)
        stmt.decorator_list, stmt.body = [], [ast.Pass()]
    return ast.unparse(stmt).split("\n", 1)[0]


def mutants(source: str, path: str) -> list[Mutant]:
    """Every first-order mutant of ``source`` (the text of ``path``), in source order; each compiles."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    out, seen = [], set()
    for site in _sites(tree):
        changes = _changes(site.node)
        if isinstance(site.node, ast.stmt) and site.index is not None and _removable(site.node):
            changes.append(("statement removed", ast.Pass()))
        for kind, new in changes:
            new = ast.fix_missing_locations(ast.copy_location(new, site.node))
            holder = getattr(site.parent, site.field)
            old = site.node
            before = _statement_text(site.statement)
            if site.index is None:
                setattr(site.parent, site.field, new)
            else:
                holder[site.index] = new
            try:
                stmt = new if site.statement is old else site.statement
                after = _statement_text(stmt)
                text = ast.unparse(tree)
            finally:
                if site.index is None:
                    setattr(site.parent, site.field, old)
                else:
                    holder[site.index] = old
            if text == original or text in seen:
                continue
            try:
                compile(text, path, "exec")
            except SyntaxError:
                continue
            seen.add(text)
            out.append(Mutant(path, site.function, old.lineno, kind, before, after, text))
    return out
