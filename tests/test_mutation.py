"""The mutation benchmark's parts: the mutator makes valid, different code with stable keys (each kind of change
on a small source), every listed equivalent is a mutant it makes, the report names the survivors not listed,
and the suite kills a mutant that breaks the derivation."""

from __future__ import annotations

import ast
import os
import textwrap

import numpy as np

from compare.cli.mutate import FILES, stale_entries, summary
from compare.mutation.equivalent import EQUIVALENT
from compare.mutation.mutator import mutants
from compare.mutation.runner import KILLED, SURVIVED, TIMEOUT, Outcome, run_parallel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
            "swapped arguments", "swapped operands", "abs removed", "logarithm base", "condition switched off",
            "condition switched on"} <= kinds
    for f in FILES:
        with open(os.path.join(ROOT, f)) as fh:
            original = ast.unparse(ast.parse(fh.read()))
        for m in [m for m in every if m.path == f][::25]:
            compile(m.source, f, "exec")
            assert m.source != original and m.before != m.after
    assert len({m.key for m in every}) == len(every)


def _changed(source: str, kind: str) -> dict[str, str]:
    """The mutants of ``source`` of one ``kind``: {statement after: whole mutated source}, each source parsed."""
    out = {}
    for m in mutants(textwrap.dedent(source), "m.py"):
        if m.kind == kind:
            ast.parse(m.source)
            out[m.after] = m.source
    return out


def _call(source: str, *args):
    """``f(*args)`` for the function ``f`` that ``source`` defines (with ``np`` for NumPy)."""
    space = {"np": np}
    exec(source, space)
    return space["f"](*args)


def test_a_default_argument_is_mutated_on_its_def_line_and_train_py_lists():
    """A default in a signature has no statement around it (it crashed ``--list`` on manual/train.py, with
    ``seed: int | None = 0``): its mutants are keyed by the def line. A keyword without a name (``**kw``) is
    dropped like any other."""
    src = """
        def f(x, *, seed: int | None = 0, **kw):
            return g(x, seed, **kw)
        """
    changed = _changed(src, "constant")
    assert set(changed) == {"def f(x, *, seed: int | None=1, **kw):", "def f(x, *, seed: int | None=-1, **kw):"}
    assert [m.before for m in mutants(textwrap.dedent(src), "m.py") if m.kind == "constant"] == \
        ["def f(x, *, seed: int | None=0, **kw):"] * 2
    assert set(_changed(src, "keyword removed")) == {"return g(x, seed)"}
    with open(os.path.join(ROOT, "manual/train.py")) as fh:
        train = mutants(fh.read(), "manual/train.py")
    assert any(m.function == "train" and m.before.startswith("def train(") and "seed: int | None=1" in m.after
               for m in train)


def test_abs_is_dropped_around_its_argument():
    """``np.max(np.abs(x))`` becomes ``np.max(x)`` (max for max-abs); a builtin ``abs`` is dropped too."""
    changed = _changed("""
        def f(x):
            return np.max(np.abs(x)) + abs(x[0])
        """, "abs removed")
    assert set(changed) == {"return np.max(x) + abs(x[0])", "return np.max(np.abs(x)) + x[0]"}
    x = np.array([-3.0, 1.0])
    assert sorted(_call(s, x) for s in changed.values()) == [0.0, 4.0]     # the original gives 6.0


def test_constants_move_by_one_and_a_negative_one_keeps_its_meaning():
    """An int moves by +-1 (``maxexp - 2`` to ``- 3`` and ``- 1``); a float by +-1 as well as doubled, halved and
    made 0. A negative result is written ``-c``, so ``0.5 ** x`` becomes ``(-0.5) ** x``, not ``-0.5 ** x``."""
    assert set(_changed("""
        def f(e):
            return e - 2
        """, "constant")) == {"return e - 3", "return e - 1"}
    halves = _changed("""
        def f(x):
            return 0.5 ** x
        """, "constant")
    assert set(halves) == {"return 1.0 ** x", "return 0.25 ** x", "return 0.0 ** x", "return 1.5 ** x",
                           "return (-0.5) ** x"}
    assert _call(halves["return (-0.5) ** x"], 2) == 0.25


def test_a_logarithm_changes_base():
    """np.log, np.log2 and np.log10 become each of the other two."""
    changed = _changed("""
        def f(n):
            return np.log2(n) + np.log(n)
        """, "logarithm base")
    assert set(changed) == {"return np.log(n) + np.log(n)", "return np.log10(n) + np.log(n)",
                            "return np.log2(n) + np.log2(n)", "return np.log2(n) + np.log10(n)"}
    assert _call(changed["return np.log10(n) + np.log(n)"], 100.0) == 2.0 + np.log(100.0)


def test_a_condition_is_switched_off_and_on():
    """An ``if``'s test and a conditional expression's test become False and True; an ``if`` without ``else``
    is only switched on (switched off it is the statement removed, which is made already)."""
    src = """
        def f(x, wide):
            y = x if x > 0 else -x
            if wide:
                y = 2 * y
            else:
                y = y + 1
            if y > 10:
                y = 10
            return y
        """
    off, on = _changed(src, "condition switched off"), _changed(src, "condition switched on")
    assert set(off) == {"y = x if False else -x", "if False:"}
    assert set(on) == {"y = x if True else -x", "if True:"}
    assert len([m for m in mutants(textwrap.dedent(src), "m.py") if m.after == "if True:"]) == 2
    assert _call(off["y = x if False else -x"], 3, True) == -6        # the original gives 6
    assert _call(off["if False:"], 3, True) == 4                        # the float32-widening kind of switch
    assert _call(on["y = x if True else -x"], -3, False) == -2          # the original gives 4
    removed = [m for m in mutants(textwrap.dedent(src), "m.py")
               if m.kind == "statement removed" and m.before == "if y > 10:"]
    assert len(removed) == 1 and _call(removed[0].source, 20, False) == 21


def test_every_listed_equivalent_is_a_mutant_the_mutator_makes():
    keys = {m.key for m in _all()}
    assert [k for k in EQUIVALENT if k not in keys] == []


def test_the_report_names_each_survivor_not_listed_with_its_key_and_fails():
    """A survivor not on the list is printed with the key an entry would take, and exit status 1; a listed one
    with its reason; a listed mutant that was killed, and a stale entry, also fail the run."""
    every = _all()
    listed = next(m for m in every if m.key in EQUIVALENT)
    gap = next(m for m in every if m.key not in EQUIVALENT)
    killed = next(m for m in every if m.key not in EQUIVALENT and m is not gap)
    outcomes = [Outcome(listed, SURVIVED, 0, 1.0), Outcome(gap, SURVIVED, 0, 1.0), Outcome(killed, TIMEOUT, None, 1.0)]
    lines, status = summary(outcomes, [], EQUIVALENT)
    text = "\n".join(lines)
    assert status == 1 and lines[0].startswith("3 mutants: 1 killed (1 by timeout), 2 survived (1 listed")
    assert f"  {gap.key!r}," in lines and f"listed as equivalent: {EQUIVALENT[listed.key]}" in text
    assert f"  {listed.key!r}," not in lines and f"  {killed.key!r}," not in lines
    assert summary([Outcome(listed, SURVIVED, 0, 1.0)], [], EQUIVALENT)[1] == 0
    assert summary([Outcome(listed, KILLED, 1, 1.0)], [], EQUIVALENT)[1] == 1
    stale = ("careful.py", "_rows_scaled", "x = 1", "x = 2")
    assert summary([Outcome(listed, SURVIVED, 0, 1.0)], [stale], EQUIVALENT)[1] == 1
    assert stale_entries(["manual/careful.py"], every, {stale: "", listed.key: ""}) == [stale]
    assert stale_entries(["manual/train.py"], every, {stale: ""}) == []


def test_parallel_jobs_give_every_mutant_its_own_verdict():
    """``run_parallel`` over 2 copies runs each mutant once and gives the verdict its mutation earns: sigma'(z) =
    a(1 - a) mutated to a(2 - a) is killed by ``python -m compare``, the original code re-spelled (a listed
    equivalent, the suite's exit 0 on the unmutated math) survives, whichever copy ran it."""
    every = _all()
    broken = next(m for m in every if m.function == "_sigma_prime" and m.after == "s = 2 - a")
    same = [m for m in every if m.key in EQUIVALENT and m.path == "manual/backprop.py"][:2]
    chosen = [broken] + same
    outcomes = list(run_parallel(ROOT, chosen, ("--examples", "60"), jobs=2))
    assert sorted(o.mutant.key for o in outcomes) == sorted(m.key for m in chosen)
    verdicts = {o.mutant.key: o.verdict for o in outcomes}
    assert verdicts[broken.key] == KILLED and all(verdicts[m.key] == SURVIVED for m in same)
