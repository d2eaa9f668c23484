"""One function of a mutation-benchmark mutant of manual/careful.py, for the tests that check a draw kills it."""

from __future__ import annotations

from compare.mutation.mutator import mutants
from manual import careful


def careful_mutant(function: str, after: str):
    """Function ``function`` of the mutation benchmark's mutant of manual/careful.py whose changed statement reads
    ``after`` exactly (the mutant's own source, executed as a module of the ``manual`` package)."""
    with open(careful.__file__) as f:
        m = next(m for m in mutants(f.read(), "manual/careful.py") if m.function == function and m.after == after)
    namespace = {"__name__": "manual._careful_mutant", "__package__": "manual"}
    exec(compile(m.source, careful.__file__, "exec"), namespace)
    return namespace[function]
