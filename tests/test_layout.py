"""The project's own rules, checked: the oracle shares no math with what it checks, no package has an import
cycle, the README's equation table cites the comments that implement each equation, its Quick start holds
exactly two commands, ruff is clean."""

import ast
import pathlib
import re
import subprocess
import sys
import tokenize

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_autodiff_imports_only_the_format_from_manual():
    """autodiff may import manual.params and manual.data (format, validation), never manual's math."""
    for path in (ROOT / "autodiff").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("manual"):
                    assert name in ("manual.params", "manual.data"), f"{path.name} imports {name}"


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(path: pathlib.Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports (at any depth of its code, relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found |= {t for t in targets if t in modules and t != name}
    return found


def test_no_import_cycles():
    """The import graph of manual, autodiff and compare (imports inside functions included) has no cycle, so
    each module can be read and tested from the bottom up."""
    paths = [p for d in ("manual", "autodiff", "compare") for p in (ROOT / d).rglob("*.py")]
    modules = {_module_name(p) for p in paths}
    graph = {_module_name(p): _project_imports(p, modules) for p in paths}
    # a package's __init__ importing its own submodules is not a cycle through them
    graph = {m: {t for t in deps if not t.startswith(m + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            assert state.get(t) != 1, "import cycle: " + " -> ".join(path[path.index(t):] + [t])
            if t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert len(graph) > 40


def test_readme_quick_start_has_exactly_two_fenced_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    assert "python -m compare" in blocks[0] and "pytest" in blocks[1]


EQUATION_WORDS = {  # README row start -> words each comment it cites must contain
    "z^l": "z", "a^l = σ": "sigma(z", "C = ": "C = ", "∂C/∂a^L": "(a", "σ'(z)": "1 - a", "δ^L": "delta",
    "δ^l": "delta^", "∇W^l": "grad W^l", "∇b^l": "grad b^l",
}


def _comments(path: pathlib.Path) -> list[str]:
    """The text of every comment in a Python file, without its '#'."""
    with path.open("rb") as f:
        return [t.string[1:].strip() for t in tokenize.tokenize(f.readline) if t.type == tokenize.COMMENT]


def test_readme_equation_table_cites_the_implementing_comments():
    """Each `# ...` in the README's equation table is the text of exactly one comment of that file, and the
    comment names the row's equation: the table follows the code by what it says, not by line numbers."""
    text = (ROOT / "README.md").read_text().split("## Where each equation of the seed lives", 1)[1]
    text = text.split("\n## ", 1)[0]
    assert not re.search(r"\bline \d", text), "the equation table cites comments, not line numbers"
    comments = [_comments(ROOT / "manual" / "network.py"), _comments(ROOT / "manual" / "backprop.py")]
    rows = [r for r in text.splitlines() if r.startswith("| ") and "`# " in r]
    assert len(rows) >= 9
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        words = next(w for k, w in EQUATION_WORDS.items() if cells[0].startswith(k))
        for file_comments, cell, name in zip(comments, cells[1:3], ("network.py", "backprop.py")):
            for cited in re.findall(r"`# ([^`]+)`", cell):
                hits = [c for c in file_comments if cited in c]
                assert len(hits) == 1, f"{cells[0]}: {name} has {len(hits)} comments containing {cited!r}"
                assert words in cited, f"{cells[0]}: {cited!r} does not name the equation ({words!r})"


def test_ruff_is_clean():
    pytest.importorskip("ruff", reason="ruff comes with the 'test' extra")
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
