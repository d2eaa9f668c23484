"""The oracle's house rules, checked: its sub-packages stand in layers and each imports only downward, across a
package only names that are not private, and the worker's process loads nothing but the sandbox (NumPy only)."""

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORACLE = ROOT / "compare" / "oracle"
LAYERS = ["cases", "reference", "sandbox", "verdict", "diagnosis", "report", "checks"]   # bottom first


def _imports(path: pathlib.Path):
    """(line, package imported from, names) of every import of an oracle sub-package in ``path``, relative
    imports resolved, imports inside functions included."""
    pkg = path.parent.name
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            parts = ([pkg] if node.level == 1 else []) + (node.module or "").split(".")
            parts = [p for p in parts if p]
        elif (node.module or "").startswith("compare.oracle."):
            parts = node.module.split(".")[2:]
        else:
            continue
        target = parts[0] if parts else pkg
        names = [a.name for a in node.names]
        if len(parts) == 0 and node.level == 2:        # from .. import X: X is a package or oracle module
            for n in names:
                yield node.lineno, n, []
            continue
        yield node.lineno, target, names if len(parts) > 1 else []


def test_the_oracle_is_sub_packages_by_concept_and_nothing_else():
    """compare/oracle holds its public __init__ and the layer packages, nothing else."""
    loose = sorted(p.name for p in ORACLE.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules outside a sub-package: {loose}"
    assert sorted(p.name for p in ORACLE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)


def test_every_import_points_down_and_crosses_a_package_only_through_public_names():
    """A module of layer k imports from layer k or below, never above (LAYERS, bottom first), and from another
    package never a name that starts with an underscore: each package can be read, tested and replaced from the
    bottom up, and its private names stay its own."""
    wrong = []
    for pkg in LAYERS:
        for path in (ORACLE / pkg).glob("*.py"):
            for line, target, names in _imports(path):
                if target not in LAYERS:
                    continue
                where = f"compare/oracle/{pkg}/{path.name}:{line}"
                if LAYERS.index(target) > LAYERS.index(pkg):
                    wrong.append(f"{where} imports up, from {target}")
                if target != pkg:
                    wrong += [f"{where} imports {target}'s private {n}" for n in names if n.startswith("_")]
    assert not wrong, "\n".join(wrong)


def test_the_workers_process_loads_only_the_sandbox():
    """The candidate's worker imports the sandbox package and NumPy, nothing of JAX or of the verdict: what runs
    beside candidate code is small, and no file the verdict depends on is loaded there."""
    code = ("import sys, compare.oracle.sandbox.worker; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('compare', 'jax', 'manual')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    loaded = out.stdout.split()
    assert loaded and out.returncode == 0, out.stderr
    outside = [m for m in loaded if m not in ("compare", "compare.oracle", "compare.oracle.sandbox")
               and not m.startswith("compare.oracle.sandbox.")]
    assert not outside, f"the worker loads {outside}"
