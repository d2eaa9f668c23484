"""The project's own rules, checked: the oracle shares no math with what it checks, the README's equation
table cites the comments that implement each equation, its Quick start holds exactly two commands, ruff is clean."""

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
