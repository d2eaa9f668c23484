"""The mutation benchmark's parts: the mutator makes valid, different code with stable keys, every listed
equivalent is a mutant it makes, and the suite kills a mutant that breaks the derivation."""

from __future__ import annotations

import ast
import os
import tempfile

from compare.mutation.equivalent import EQUIVALENT
from compare.mutation.mutator import mutants
from compare.mutation.runner import KILLED, SURVIVED, copy_tree, run_parallel, run_suite

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ("manual/network.py", "manual/careful.py", "manual/backprop.py")


def _all():
    out = []
    for f in FILES:
        with open(os.path.join(ROOT, f)) as fh:
            out += mutants(fh.read(), f)
    return out


def test_mutants_compile_differ_from_the_original_and_have_unique_keys():
    every = _all()
    assert len(every) > 300
    kinds = {m.kind for m in every}
    assert {"operator", "constant", ".T removed", "statement removed", "copy, not in place",
            "swapped arguments", "swapped operands"} <= kinds
    for f in FILES:
        with open(os.path.join(ROOT, f)) as fh:
            original = ast.unparse(ast.parse(fh.read()))
        for m in [m for m in every if m.path == f][::25]:
            compile(m.source, f, "exec")
            assert m.source != original and m.before != m.after
    assert len({m.key for m in every}) == len(every)


def test_every_listed_equivalent_is_a_mutant_the_mutator_makes():
    keys = {m.key for m in _all()}
    assert [k for k in EQUIVALENT if k not in keys] == []


def test_the_suite_kills_a_mutant_of_sigma_prime_and_passes_the_original():
    """sigma'(z) = a(1 - a) mutated to a(2 - a) is caught by ``python -m compare``; the copy unmutated passes."""
    m = next(m for m in _all() if m.function == "_sigma_prime" and m.after == "s = 2 - a")
    with tempfile.TemporaryDirectory() as tree:
        copy_tree(ROOT, tree)
        assert run_suite(tree, ("--examples", "60"))[0] == 0
        with open(os.path.join(tree, m.path), "w") as f:
            f.write(m.source)
        assert run_suite(tree, ("--examples", "60"))[0] == 1


def test_parallel_jobs_give_every_mutant_its_own_verdict():
    """``run_parallel`` over 2 copies runs each mutant once and gives the verdict its mutation earns: sigma' broken
    is killed, the original code re-spelled (a listed equivalent) survives, whichever copy ran it."""
    every = _all()
    broken = next(m for m in every if m.function == "_sigma_prime" and m.after == "s = 2 - a")
    same = [m for m in every if m.key in EQUIVALENT and m.path == "manual/backprop.py"][:2]
    chosen = [broken] + same
    outcomes = list(run_parallel(ROOT, chosen, ("--examples", "60"), jobs=2))
    assert sorted(o.mutant.key for o in outcomes) == sorted(m.key for m in chosen)
    verdicts = {o.mutant.key: o.verdict for o in outcomes}
    assert verdicts[broken.key] == KILLED and all(verdicts[m.key] == SURVIVED for m in same)
