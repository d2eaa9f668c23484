"""The project's own rules, checked: the oracle shares no math with what it checks, the README's equation
table points at the lines that implement each equation, its Quick start holds exactly two commands, ruff is clean."""

import ast
import pathlib
import re
import subprocess
import sys

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


def test_readme_quick_start_has_exactly_two_fenced_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    assert "python -m compare" in blocks[0] and "pytest" in blocks[1]


EQUATION_WORDS = {  # README row start -> words the cited line's comment must contain
    "z^l": "z", "a^l = σ": "sigma(z", "C = ": "C = ", "∂C/∂a^L": "(a", "σ'(z)": "1 - a", "δ^L": "delta",
    "δ^l": "delta^", "∇W^l": "grad W^l", "∇b^l": "grad b^l",
}


def test_readme_equation_table_points_at_the_implementing_lines():
    """Each 'line N' in the README's equation table is a line of that file that names the equation."""
    text = (ROOT / "README.md").read_text().split("## Where each equation of the seed lives", 1)[1]
    text = text.split("\n## ", 1)[0]
    files = [(ROOT / "manual" / "network.py").read_text().splitlines(),
             (ROOT / "manual" / "backprop.py").read_text().splitlines()]
    rows = [r for r in text.splitlines() if r.startswith("| ") and "line" in r]
    assert len(rows) >= 8
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        words = next(w for k, w in EQUATION_WORDS.items() if cells[0].startswith(k))
        for lines, cell in zip(files, cells[1:3]):
            for n in re.findall(r"line (\d+)", cell):
                line = lines[int(n) - 1]
                assert "#" in line or "def " in line, f"{cells[0]}: line {n} has no comment: {line!r}"
                assert words in line or "def sigmoid" in line, f"{cells[0]}: line {n} is {line!r}"


def test_ruff_is_clean():
    pytest.importorskip("ruff", reason="ruff comes with the 'test' extra")
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
